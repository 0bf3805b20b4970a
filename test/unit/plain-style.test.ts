import { Chalk, type ChalkInstance } from 'chalk';
import { describe, expect, it } from 'vitest';
import { PLAIN_STYLE } from '../../src/plain-style.js';

// campfire uses PLAIN_STYLE instead of loading chalk when colour is off: it must print what chalk prints then.
const chalk0 = new Chalk({ level: 0 });
const shapes: [string, (c: ChalkInstance) => string][] = [
  ['one style', (c) => c.red('error:')],
  ['chained styles', (c) => c.red.bold('x') + c.yellow.bold('y') + c.dim.underline.bgBlue('z')],
  ['several arguments', (c) => c.green('a', 1, true)],
  ['a number, an empty string, undefined', (c) => c.bold(42) + c.bold('') + c.dim(undefined as unknown as string)],
  ['colour models', (c) => c.hex('#ff0000')('hex') + c.rgb(1, 2, 3).bold('rgb') + c.bgAnsi256(4)('bg')],
  ['visible', (c) => c.visible('hidden without colour') + c.red.visible('too')],
];

describe('PLAIN_STYLE (chalk at level 0, without loading chalk)', () => {
  it.each(shapes)('%s: same text as chalk at level 0', (_name, render) => {
    expect(render(PLAIN_STYLE)).toBe(render(chalk0));
  });

  it('reports level 0', () => {
    expect(PLAIN_STYLE.level).toBe(0);
    expect(PLAIN_STYLE.bold.level).toBe(0);
  });
});
