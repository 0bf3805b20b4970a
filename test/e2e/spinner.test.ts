import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let db: TestDb | undefined;
afterAll(async () => {
  // Should the spinner loop again, `script` dies on the timeout but its child would spin on: end it here.
  if (db) for (const pid of commandsMentioning(db.name)) process.kill(pid, 'SIGKILL');
  await db?.drop();
});

function commandsMentioning(text: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid).filter((e) => {
    try {
      return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  }).map(Number);
}

describe.skipIf(!hasScript || process.platform !== 'linux')('spinner on a terminal nobody sized', () => {
  it('a pty with 0 columns gets no spinner (ora would write erase sequences forever)', { timeout: 120_000 }, async () => {
    db = await createDatabase('healthy');
    // `script` without a terminal on stdin makes a pty of 0 x 0: isTTY is true, columns is 0.
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, 'doctor', '--db-url', db.url].map(quote).join(' ');
    const r = await execa('script', ['-qec', command, '/dev/null'], { reject: false, cwd: ROOT, input: '', timeout: 60_000, maxBuffer: 1_000_000, env: { CI: undefined } });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toContain('Summary:');
    expect(String(r.stdout)).not.toContain('\u001b[1A');
  });
});
