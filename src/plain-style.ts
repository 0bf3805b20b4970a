import type { ChalkInstance } from 'chalk';

/**
 * What chalk does at colour level 0 (pipes, NO_COLOR, CI logs): every style returns its text unchanged.
 * Loading chalk itself (its style tables, its terminal detection, node:tty) is a measurable part of a short
 * command's startup (benchmark 2), so without colour campfire uses this instead and loads chalk only when
 * it will colour something (src/io.ts). Same call shapes as chalk: chained styles, several arguments
 * joined by a space, the colour-model functions (hex, rgb, ansi256 and their bg forms) returning a style,
 * and `visible`, which prints nothing when colour is off.
 */
const MODEL_FUNCTIONS = new Set(['rgb', 'hex', 'ansi256', 'bgRgb', 'bgHex', 'bgAnsi256']);

function style(render: (text: string) => string): ChalkInstance {
  const call = (...args: unknown[]) => render(args.length === 1 ? String(args[0]) : args.join(' '));
  const self: ChalkInstance = new Proxy(call, {
    get(_target, key) {
      if (key === 'level') return 0;
      if (key === 'visible') return INVISIBLE;
      if (typeof key === 'string' && MODEL_FUNCTIONS.has(key)) return () => self;
      return self;
    },
    set: () => false,
  }) as unknown as ChalkInstance;
  return self;
}

const INVISIBLE = style(() => '');
export const PLAIN_STYLE: ChalkInstance = style((text) => text);
