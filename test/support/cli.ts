import path from 'node:path';
import { execa, type Options } from 'execa';

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
