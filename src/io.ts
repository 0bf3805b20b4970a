import type { ChalkInstance } from 'chalk';
import { PLAIN_STYLE } from './plain-style.js';
import { redact } from './secrets.js';

/** Where commands write. Everything goes through redact(), so no secret reaches a terminal or a pipe. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colours and spinners are allowed. */
  isTTY: boolean;
  chalk: ChalkInstance;
  env: NodeJS.ProcessEnv;
  /**
   * Writes without redact(). Only GitHub's `::add-mask::VALUE` line may use it: that line must carry the
   * secret itself so the runner can hide it. Absent where output is captured (the mask line then shows ***).
   */
  writeUnredacted?(stream: 'out' | 'err', text: string): void;
}

/** The process's streams; chalk is loaded only when stdout will be coloured (it costs startup time). */
export async function processIo(): Promise<Io> {
  const isTTY = Boolean(process.stdout.isTTY);
  // chalk ignores NO_COLOR; honour it (https://no-color.org) and never colour a pipe.
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const level = !isTTY || noColor ? 0 : process.env.FORCE_COLOR === '0' ? 0 : 1;
  // `campfire doctor | head`: the reader has gone; stop quietly instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (t) => process.stdout.write(redact(t)),
    err: (t) => process.stderr.write(redact(t)),
    isTTY,
    chalk: level === 0 ? PLAIN_STYLE : new (await import('chalk')).Chalk({ level }),
    env: process.env,
    writeUnredacted: (stream, t) => (stream === 'out' ? process.stdout : process.stderr).write(t),
  };
}
