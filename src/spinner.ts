import type { Io } from './io.js';

export interface Spinner {
  stop(): void;
}

/** A spinner on stderr, only on a terminal and never in CI: pipes and logs get no control characters. */
export function spinner(io: Io, text: string): Spinner {
  // A terminal that reports 0 columns (a bare `script` session) makes ora redraw forever.
  if (!io.isTTY || !process.stderr.isTTY || io.env.CI || !process.stderr.columns) return { stop() {} };
  let active: { stop(): unknown } | undefined;
  let stopped = false;
  // ora loads lazily: most runs (pipes, CI, --json) never need it.
  void import('ora').then(({ default: ora }) => {
    if (!stopped) active = ora({ text, stream: process.stderr }).start();
  });
  return {
    stop() {
      stopped = true;
      active?.stop();
    },
  };
}
