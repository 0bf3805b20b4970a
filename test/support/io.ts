import { Chalk } from 'chalk';
import type { Io } from '../../src/io.js';

export interface CapturedIo extends Io {
  stdout: () => string;
  stderr: () => string;
}

/** An Io that records what a command prints: no terminal, no colour. */
export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    isTTY: false,
    chalk: new Chalk({ level: 0 }),
    env,
    stdout: () => out,
    stderr: () => err,
  };
}
