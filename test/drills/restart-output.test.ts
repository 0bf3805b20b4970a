import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';

/**
 * Drill: a restart command that prints hundreds of megabytes (issue: ~700 MB crashed recover with
 * "Invalid string length", used 3.6 GB piped, and the report said step 2 "not run" although it ran).
 * campfire's stdout is a pipe here; the flood's last line is campfire's own peak RSS, read from /proc.
 * CAMPFIRE_RESTART_FLOOD_MB=700 reproduces the reported size.
 */
const MEGABYTES = Number(process.env.CAMPFIRE_RESTART_FLOOD_MB ?? 160);
/** Well under what holding the output would take (the string alone is MEGABYTES MB, built up by doubling). */
const RSS_LIMIT_MB = 230;
const SECRET = 'Flood-Secret-Pw-5e1d';
const FLOOD = path.join(ROOT, 'test/support/restart/flood.mjs');

const dbs: TestDb[] = [];
afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

/** Reads campfire's stdout from the pipe: its size, and whether the secret or an escape byte came through. */
const READER = `let n = 0, secret = false, esc = false, tail = '';
process.stdin.on('data', (b) => { n += b.length; const s = tail + b.toString('latin1'); secret ||= s.includes(process.argv[1]); esc ||= s.includes('\\u001b'); tail = s.slice(-64); });
process.stdin.on('end', () => console.log(JSON.stringify({ n, secret, esc })));`;

describe.skipIf(process.platform !== 'linux')('drill: restart command output that floods', () => {
  it(`${MEGABYTES} MB of restart output streams through a pipe in bounded memory, scrubbed, and the report tells the truth`, async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const dir = tempDir();
    const restart = `${JSON.stringify(process.execPath)} ${JSON.stringify(FLOOD)} ${MEGABYTES}`;
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const line = [process.execPath, BIN, 'recover', '--db-url', d.url, '--yes', '--restart-cmd', restart, '--restart-timeout', '10m', '--report', 'r.md', '--undo-file', 'undo.sql']
      .map(q).join(' ');
    const r = await execa('bash', ['-c', `set -o pipefail; ${line} | ${q(process.execPath)} -e ${q(READER)} ${q(SECRET)}`], {
      cwd: dir, reject: false, env: { NO_COLOR: '1', DATABASE_URL: '', SUPABASE_DB_URL: '', FLOOD_SECRET: SECRET }, timeout: 600_000,
    });
    expect(r.stderr).not.toContain('campfire crashed');
    expect([0, 1]).toContain(r.exitCode);
    const piped = JSON.parse(r.stdout) as { n: number; secret: boolean; esc: boolean };
    expect(piped.n).toBeGreaterThan(MEGABYTES * 1024 * 1024); // all of it was relayed, live
    expect(piped.secret).toBe(false);
    expect(piped.esc).toBe(false);

    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toMatch(/### 2\. [^\n]*✅ done/);
    expect(report).toContain('characters of output left out');
    expect(report).not.toContain(SECRET);
    expect(report.length).toBeLessThan(200_000);
    const peak = Number(/CAMPFIRE_PEAK_RSS_KB=(\d+)/.exec(report)?.[1]);
    expect(peak, 'campfire peak RSS (KiB) from /proc').toBeGreaterThan(0);
    console.log(`restart flood: ${MEGABYTES} MB relayed, campfire peak RSS ${Math.round(peak / 1024)} MB`);
    expect(peak / 1024).toBeLessThan(RSS_LIMIT_MB);
  }, 600_000);
});
