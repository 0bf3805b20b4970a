import { execa } from 'execa';

/**
 * Runs the "To undo:" command campfire printed, exactly as printed, through a shell: the way a person would
 * paste it. psql's own defaults point elsewhere (PGDATABASE=postgres, no PGHOST), so the command only restores
 * the right database if it names it; the password comes from PGPASSWORD, as the printed note says.
 */
export async function runPrintedUndo(output: string, password: string | undefined, cwd: string): Promise<{ command: string; exitCode: number; stderr: string }> {
  const command = /^\s*To undo: (.+)$/m.exec(output)?.[1];
  if (!command) throw new Error(`no "To undo:" line in the output:\n${output}`);
  const env: Record<string, string | undefined> = { ...process.env, PGDATABASE: 'postgres', PGHOST: undefined, PGPORT: undefined, PGUSER: undefined, PGPASSWORD: password };
  const r = await execa('bash', ['-c', command], { cwd, env, extendEnv: false, reject: false });
  return { command, exitCode: r.exitCode ?? -1, stderr: String(r.stderr) };
}

/** psql must be installed for the printed undo command to run; say so rather than pass silently. */
export async function havePsql(): Promise<boolean> {
  const r = await execa('psql', ['--version'], { reject: false }).catch(() => ({ exitCode: 1 }));
  return r.exitCode === 0;
}
