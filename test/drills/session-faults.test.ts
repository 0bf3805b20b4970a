import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campfireBackendsGone, fullCatalog, type FullCatalog } from '../support/catalog.js';
import { campfire, spawnCampfire, waitForStderr } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';

/**
 * Drill: the server ends campfire's session while a fix runs (pg_terminate_backend from another connection,
 * as an administrator or a failover would). campfire is stopped inside its transaction with the test pause
 * hook, its backend is terminated, then it is resumed (SIGUSR2): it must say what happened and that nothing
 * was committed, exit 1, never report a crash, and leave the catalog exactly as it was.
 */
let db: TestDb;
let before: FullCatalog;
beforeAll(async () => {
  db = await createDatabase('broken');
  before = await fullCatalog(db);
});
afterAll(async () => db?.drop());

const POINTS = [
  { point: 'plan', env: { CAMPFIRE_TEST_PAUSE_AT: 'plan' }, marker: 'test pause at plan ' },
  { point: 'sql:1', env: { CAMPFIRE_TEST_PAUSE_AT: 'sql:1' }, marker: 'test pause at sql:1 ' },
  { point: 'just before COMMIT (undo script written)', env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' }, marker: 'test pause before COMMIT' },
];

describe('drill: pg_terminate_backend during fix-permissions --apply', () => {
  for (const [i, { point, env, marker }] of POINTS.entries()) {
    const json = i === 1;
    it(`at ${point}: says the server ended the session, nothing committed, exit 1${json ? ' (--json)' : ''}`, async () => {
      const undoFile = path.join(tempDir(), 'undo.sql');
      const sub = spawnCampfire(['fix-permissions', '--db-url', db.url, '--apply', '--yes', '--undo-file', undoFile, ...(json ? ['--json'] : [])], { env });
      await waitForStderr(sub, marker);
      const killed = await db.query(`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and application_name = 'campfire'`, [db.name]);
      expect(killed).toEqual([{ ok: true }]);
      // The backend is gone (its FATAL sent) before campfire resumes, so the order of events is fixed.
      await campfireBackendsGone(db);
      sub.kill('SIGUSR2');
      const r = await sub;
      const out = `${String(r.stdout)}\n${String(r.stderr)}`;
      expect(out).not.toContain('campfire crashed');
      expect(out).not.toContain('bug in campfire');
      expect(r.exitCode, out).toBe(1);
      expect(String(r.stdout)).toMatch(/the server ended campfire's session at .* before COMMIT \(57P01: terminating connection due to administrator command\).*nothing was committed/);
      if (json) expect(JSON.parse(String(r.stdout))).toMatchObject({ outcome: { status: 'failed' }, exitCode: 1 });
      await campfireBackendsGone(db);
      expect(await fullCatalog(db)).toEqual(before);
      expect(existsSync(undoFile)).toBe(false); // no undo script for a change that never happened
    });
  }
});

describe('drill: pg_terminate_backend during a recover database step', () => {
  it('the step fails saying nothing was committed; the runbook stops, the report says so, exit 1', async () => {
    const dir = tempDir();
    const sub = spawnCampfire(['recover', '--db-url', db.url, '--yes', '--report', 'r.md', '--undo-file', 'undo.sql'], { cwd: dir, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' } });
    await waitForStderr(sub, 'test pause before COMMIT');
    // Only the step's own session: recover's lock connection is "campfire recover".
    const killed = await db.query(`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and application_name = 'campfire'`, [db.name]);
    expect(killed).toEqual([{ ok: true }]);
    await campfireBackendsGone(db);
    sub.kill('SIGUSR2');
    const r = await sub;
    const out = `${String(r.stdout)}\n${String(r.stderr)}`;
    expect(out).not.toContain('campfire crashed');
    expect(r.exitCode, out).toBe(1);
    expect(String(r.stdout)).toMatch(/✗ step 1: failed — the server ended campfire's session .*nothing was committed/);
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toMatch(/Stopped early:\*\* step 1 [^\n]*the server ended campfire's session/);
    await campfireBackendsGone(db);
    expect(await fullCatalog(db)).toEqual(before);
  });
});

describe('drill: connection faults are one clear line, exit 2', () => {
  it('a server that accepts the connection and never answers: campfire\'s own timeout message', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const r = await campfire(['doctor', '--db-url', `postgres://u:Silent-Pw-1@127.0.0.1:${port}/x`, '--connect-timeout', '1s'])
      .finally(() => silent.close());
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`error: No answer from 127.0.0.1:${port} within 1s: check the host and port, or raise --connect-timeout.`);
  });
});
