import path from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/campfire.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (dist/, made by `npm test`'s build step) as a user would, with an environment
 * scrubbed of database variables so a developer's own DATABASE_URL cannot leak into a test.
 */
export async function campfire(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; input?: string; node?: string } = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: undefined, SUPABASE_DB_URL: undefined, GITHUB_ACTIONS: undefined, CI: undefined, ...opts.env };
  const options: Options = { reject: false, env, extendEnv: false, cwd: opts.cwd ?? ROOT, timeout: 60_000, input: opts.input ?? '' };
  const r = await execa(opts.node ?? process.execPath, [BIN, ...args], options);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Starts the built CLI without waiting for it, for tests that signal or race it. */
export function spawnCampfire(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): ResultPromise {
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
