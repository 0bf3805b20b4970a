import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/campfire.js');

/** Runs the built CLI (npm test builds first) with no terminal, like CI does. */
export function campfire(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    cwd: opts.cwd ?? ROOT,
    env: { NO_COLOR: '1', DATABASE_URL: '', SUPABASE_DB_URL: '', ...opts.env },
    extendEnv: true,
  });
}

/** Resolves once the subprocess has written `marker` to stderr (no timing involved). */
export function waitForStderr(sub: ResultPromise, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    sub.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) resolve();
    });
    sub.then((r) => reject(new Error(`exited (${r.exitCode}) before "${marker}": ${seen}`)), reject);
  });
}
