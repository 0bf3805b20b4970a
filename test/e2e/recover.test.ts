import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RECOVERY_LOCK_KEYS } from '../../src/recover/lock.js';
import { campfire, ROOT, spawnCampfire, waitForStderr } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { statuses, tempDir } from '../support/fix.js';
import { KEY, startServer } from '../support/realtime.js';
import { alive, runUndo, startApp, urlWithPassword, type TestApp } from '../support/recover.js';
import { havePsql, runPrintedUndo } from '../support/undo.js';

const dbs: TestDb[] = [];
const apps: TestApp[] = [];
async function db(extraSql?: string): Promise<TestDb> {
  const d = await createDatabase('broken', extraSql);
  dbs.push(d);
  return d;
}
afterEach(async () => {
  apps.splice(0).forEach((a) => a.stop());
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

/** Policies for every command on messages: with them the guide's RLS can be enabled there, and recovery can finish green. */
const MESSAGES_POLICIES = `
  create policy messages_read on public.messages for select to anon, authenticated using (true);
  create policy messages_write on public.messages for insert to anon, authenticated with check (true);
  create policy messages_edit on public.messages for update to anon, authenticated using (true) with check (true);
  create policy messages_remove on public.messages for delete to anon, authenticated using (true);`;

const ORG = '11111111-2222-4333-8444-555555555555';

const failing = (s: Record<string, string>) => Object.entries(s).filter(([, v]) => v === 'fail' || v === 'error').map(([k]) => k).sort();

describe('campfire recover (the built CLI)', () => {
  it('broken fixture: runs all five steps, restarts the fixture app, verifies with every input, exits 1 naming what needs a decision', async () => {
    const d = await db();
    const before = await d.snapshot();
    const { url, password } = urlWithPassword(d);
    const dir = tempDir();
    const log = path.join(dir, 'server.log');
    // The broken app logs the guide's binding mismatch at startup; once restarted it does not, and the verify
    // step reads the log only from the recovery's start, so logs.binding-mismatch can pass.
    const app = await startApp({
      command: [process.execPath, path.join(ROOT, 'fixtures/app/server.mjs')],
      env: { DATABASE_URL: url, LOG_FILE: log, REALTIME_URL: '', CAMPFIRE_APP_BINDING_MISMATCH: '1' },
      restartEnv: { CAMPFIRE_APP_BINDING_MISMATCH: '0' },
    });
    apps.push(app);
    const oldPid = app.pid();
    expect(readFileSync(log, 'utf8')).toContain('mismatch between server and client bindings');
    const r = await campfire(['recover', '--db-url', url, '--yes', '--restart-cmd', app.restartCmd, '--restart-timeout', '20s', '--app-url', app.url, '--org-id', ORG, '--log', log, '--report', 'incident.md'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(1);

    // The catalog: both plans committed; only messages' RLS and policies fail, as fix-permissions leaves them.
    expect(failing(await statuses(d))).toEqual(['permissions.policies', 'permissions.rls-enabled']);
    // The app was really restarted, and answered again before recover went on.
    expect(alive(oldPid)).toBe(false);
    expect(app.pid()).not.toBe(oldPid);
    expect(alive(app.pid())).toBe(true);
    expect((await fetch(new URL('/health', app.url))).status).toBe(200);

    // Said prominently, on the terminal and in the report.
    expect(r.stdout.indexOf('Recovery will not fix these — they need your decision:')).toBeLessThan(r.stdout.indexOf('Step 1/5'));
    expect(r.stdout).toContain('Recovery cannot fix these — they need your decision:');
    expect(r.stdout).toMatch(/! public\.messages: row level security left disabled/);
    expect(r.stdout).toContain('Still failing: permissions.rls-enabled, permissions.policies');

    const report = readFileSync(path.join(dir, 'incident.md'), 'utf8');
    expect(report).toContain('**Outcome:** ❌ the final checklist still fails (exit code 1)');
    expect(report).toContain(`- Run by: ${os.userInfo().username} on ${os.hostname()}`);
    expect(report).toContain('**Still failing:** `permissions.rls-enabled`, `permissions.policies`');
    expect(report).toMatch(/## Needs a decision[^\n]*\n\n- \*\*public\.messages\*\*: row level security left disabled/);
    for (const n of [1, 2, 3]) expect(report).toMatch(new RegExp(`### ${n}\\. [^\\n]*: ✅ done\\n\\n[^\\n]+\\n\\nStarted \\d{4}-[^,]+Z, ended \\d{4}-\\S+Z\\.`));
    // The verify step: the terminal and the report give the same verdict (issue 15: "✅ done" beside "✗").
    expect(r.stdout).toContain('✗ step 5: still-failing — the checklist still fails: permissions.rls-enabled, permissions.policies');
    expect(report).toMatch(/### 5\. [^\n]*: ❌ ran; the checklist still fails\n\nthe checklist still fails: permissions\.rls-enabled, permissions\.policies/);
    expect(report).not.toMatch(/### 5\. [^\n]*✅/);
    expect(report).toContain('### 4. Reset clients: 📋 manual');
    expect(report).toMatch(/```sql\nALTER PUBLICATION "supabase_realtime" SET TABLE/);
    expect(report).toContain('ALTER FUNCTION "public"."sync_realtime_conversations"() SECURITY DEFINER SET search_path = "public", pg_temp;');
    expect(report).toContain(`stopping app pid ${oldPid}\nstarted app pid ${app.pid()}`);
    expect(report).toMatch(/- \[ \] ❌ `permissions\.rls-enabled` fail/);
    expect(report).toMatch(/- \[x\] ✅ `functions\.security-definer` pass/);
    // Every input: the widget API probe against the restarted app, and the log since the recovery began.
    expect(report).toMatch(/- \[x\] ✅ `http\.widget-auth` pass/);
    expect(report).toMatch(/- \[x\] ✅ `http\.widget-messages` pass/);
    expect(report).toMatch(/- \[x\] ✅ `logs\.binding-mismatch` pass/);
    expect(report).not.toContain(password);
    expect(r.stdout + r.stderr).not.toContain(password);

    // One undo script, written before the first change, restores the broken catalog exactly.
    const undos = readdirSync(path.join(dir, '.campfire/undo'));
    expect(undos).toHaveLength(1);
    const undo = path.join(dir, '.campfire/undo', undos[0]!);
    expect(report).toContain(`- Undo script: \`${undo}\``);
    expect(readFileSync(undo, 'utf8')).not.toContain(password);
    // The undo command as printed (URL without the password, which comes from PGPASSWORD) restores this database.
    if (await havePsql()) {
      const undone = await runPrintedUndo(r.stdout, password, dir);
      expect(undone.command).not.toContain(password);
      expect(undone.exitCode, undone.stderr).toBe(0);
    } else {
      console.log('psql is not installed: the undo script is run through pg instead of the printed command');
      await runUndo(d, undo);
    }
    expect(await d.snapshot()).toEqual(before);
  });

  it('exits 0 with a green checklist (database and realtime probe) when nothing needs a person to decide', async () => {
    const d = await db(MESSAGES_POLICIES);
    const dir = tempDir();
    const realtime = await startServer();
    let r;
    try {
      // The guide's public channels fail realtime.channel-exposure (anyone with the anon key can listen):
      // that is a decision no recovery makes, so this run leaves it out as a team that accepted it would.
      r = await campfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md', '--supabase-url', realtime.url, '--org', 'org-1', '--conv', 'conv-1', '--skip', 'realtime.channel-exposure'], { cwd: dir, env: { SUPABASE_ANON_KEY: KEY } });
    } finally {
      await realtime.close();
    }
    expect(r.exitCode).toBe(0);
    expect(failing(await statuses(d))).toEqual([]);
    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toContain('**Outcome:** ✅ recovered');
    // The verify step ran doctor with the realtime input too, and passed it.
    expect(report).toMatch(/- \[x\] ✅ `realtime\.join` pass/);
    expect(report).toMatch(/- \[x\] ✅ `realtime\.broadcast` pass/);
    expect(report + r.stdout).not.toContain(KEY);
    expect(report).toContain('ALTER TABLE "public"."messages" ENABLE ROW LEVEL SECURITY;');
    // Without --restart-cmd the restart is manual, and --yes cannot confirm it.
    expect(report).toContain('### 2. Restart the server: ⏭️ skipped');
    expect(report).not.toContain('## Needs a decision');
  });

  it('a healthy database: every database step has nothing to do, no undo script is written, exit 0', async () => {
    const d = await createDatabase('healthy');
    dbs.push(d);
    const before = await d.snapshot();
    const dir = tempDir();
    const r = await campfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(await d.snapshot()).toEqual(before);
    expect(existsSync(path.join(dir, '.campfire/undo'))).toBe(false);
    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toContain('- Undo script: none (no database change was planned)');
    expect(report).toContain('### 1. Reset publication (the fix-publication plan): ✅ nothing to do');
    expect(report).toContain('### 3. Reset database permissions (the fix-permissions plan): ✅ nothing to do');
  });

  it('--dry-run prints every step and every SQL statement and changes nothing', async () => {
    const d = await db();
    const before = await d.snapshot();
    const dir = tempDir();
    const r = await campfire(['recover', '--db-url', d.url, '--dry-run', '--restart-cmd', 'false'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    for (const n of [1, 2, 3, 4, 5]) expect(r.stdout).toContain(`Step ${n}/5:`);
    expect(r.stdout).toContain('ALTER PUBLICATION "supabase_realtime" SET TABLE');
    expect(r.stdout).toContain('GRANT INSERT, UPDATE ON TABLE "public"."realtime_conversations" TO "anon";');
    expect(r.stdout).toContain('CREATE POLICY "realtime_conv_update"');
    expect(r.stdout).toContain('ALTER FUNCTION "public"."sync_realtime_conversations"() SECURITY DEFINER');
    expect(r.stdout).toContain('Runs $ false (stopped after 2m;');
    expect(await d.snapshot()).toEqual(before);
    expect(existsSync(path.join(dir, '.campfire'))).toBe(false);
  });

  it('without a terminal and without --yes it refuses to start: exit 2, nothing changed', async () => {
    const d = await db();
    const before = await d.snapshot();
    const dir = tempDir();
    const r = await campfire(['recover', '--db-url', d.url], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: recover asks before each step, and there is no terminal.*--yes/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await d.snapshot()).toEqual(before);
    expect(existsSync(path.join(dir, '.campfire'))).toBe(false);
  });

  it('bad flags exit 2 with one line before anything is read', async () => {
    const d = await db();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'taken.md'), 'an earlier incident');
    for (const [args, message] of [
      [['--yes', '--app-url', 'not a url'], /--app-url not a url is not a URL/],
      [['--yes', '--app-url', 'ftp://x'], /--app-url must be http/],
      [['--yes', '--report', 'taken.md'], /--report taken.md already exists/],
      [['--yes', '--restart-timeout', 'forever'], /--restart-timeout must be a duration/],
      [['--dry-run', '--yes'], /contradict/],
      [['--yes', '--log', 'missing.log'], /--log missing.log does not exist/],
      [['--yes', '--org', 'o'], /--supabase-url|SUPABASE_URL/],
      // Every input of the verify step is checked before step 1 changes anything.
      [['--yes', '--src', 'taken.md'], /--src taken.md: not a directory/],
      [['--yes', '--src', 'no-such-dir'], /--src no-such-dir does not exist/],
      [['--yes', '--max-latency-ms', 'fast'], /--max-latency-ms must be a number/],
      [['--yes', '--bindings', 'missing.json', '--supabase-url', 'http://127.0.0.1:1', '--anon-key', 'k', '--org-id', 'o', '--conv', 'c'], /--bindings: cannot read missing.json/],
      [['--yes', '--only', 'permissions.grant'], /did you mean "permissions.grants"/],
      [['--yes', '--junit', 'taken.md/report.xml'], /--junit taken.md\/report.xml: .*taken.md is a file/],
    ] as const) {
      const r = await campfire(['recover', '--db-url', d.url, ...args], { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(path.join(dir, 'taken.md'), 'utf8')).toBe('an earlier incident');
  });

  it('a restart command that fails stops the runbook before step 3, with the reason', async () => {
    const d = await db();
    const dir = tempDir();
    const before = await d.snapshot();
    const fail = `${JSON.stringify(process.execPath)} -e "console.log('restart boom'); process.exit(3)"`;
    const r = await campfire(['recover', '--db-url', d.url, '--yes', '--restart-cmd', fail, '--report', 'r.md', '--undo-file', 'undo.sql'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ step 2: failed — the restart command exited with code 3');
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('pass'); // step 1 ran
    expect(s['functions.security-definer']).toBe('fail'); // step 3 did not
    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toContain('**Stopped early:** step 2 (Restart the server) failed: the restart command exited with code 3');
    expect(report).toContain('Already done before stopping: 1 done.');
    expect(report).toContain('restart boom');
    expect(report).toMatch(/### 3\. [^\n]*⏹️ not run\n\nnot run: step 2/);
    expect(report).toContain('Not run: the verification step did not run');
    // The one undo script covers both plans; step 3 never ran (its policies do not exist), and it still
    // restores the pre-recovery catalog exactly.
    await runUndo(d, path.join(dir, 'undo.sql'));
    expect(await d.snapshot()).toEqual(before);
  });

  it('a restart command still running at --restart-timeout is stopped, and so is the runbook', async () => {
    const d = await db();
    const dir = tempDir();
    const hang = `${JSON.stringify(process.execPath)} -e "console.log('starting'); setTimeout(() => {}, 600000)"`;
    const r = await campfire(['recover', '--db-url', d.url, '--yes', '--restart-cmd', hang, '--restart-timeout', '1s', '--report', 'r.md'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ step 2: failed — the restart command was still running after --restart-timeout 1000ms and was stopped');
    expect((await statuses(d))['functions.security-definer']).toBe('fail');
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('starting');
  });

  it('an app that does not answer after the restart stops the runbook before step 3', async () => {
    const d = await db();
    const dir = tempDir();
    // A port this test holds, whose every connection is dropped: nothing else can answer there.
    const silent = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const nobody = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
    const ok = `${JSON.stringify(process.execPath)} -e "console.log('restarted')"`;
    const r = await campfire(['recover', '--db-url', d.url, '--yes', '--restart-cmd', ok, '--app-url', nobody, '--restart-timeout', '1s', '--report', 'r.md'], { cwd: dir })
      .finally(() => silent.close());
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`✗ step 2: failed — the restart command exited with code 0, but ${nobody} did not answer within 1000ms after the restart`);
    expect((await statuses(d))['functions.security-definer']).toBe('fail');
  });

  it('two recovers at once: exactly one proceeds, the other names it and exits 2', async () => {
    const d = await db();
    const dirA = tempDir();
    const dirB = tempDir();
    const first = spawnCampfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md'], { cwd: dirA, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '60000' } });
    await waitForStderr(first, 'test pause before COMMIT');
    const [holder] = await d.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and application_name = 'campfire recover'`, [d.name]);
    const second = await campfire(['recover', '--db-url', d.url, '--yes'], { cwd: dirB });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('another campfire recover is in progress on this database');
    expect(second.stderr).toContain(`pid ${holder!.pid}`);
    expect(second.stderr).toContain('application "campfire recover"');
    expect(existsSync(path.join(dirB, '.campfire'))).toBe(false);
    // Let the first one through both of its pauses (steps 1 and 3).
    first.stderr!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('test pause before COMMIT')) first.kill('SIGUSR2');
    });
    first.kill('SIGUSR2');
    const r = await first;
    expect(r.exitCode).toBe(1);
    expect(failing(await statuses(d))).toEqual(['permissions.policies', 'permissions.rls-enabled']);
    // The lock goes with the run: a third recover may start (nothing left to do in the database).
    const third = await campfire(['recover', '--db-url', d.url, '--yes'], { cwd: dirB });
    expect(third.exitCode).toBe(1);
    expect(third.stdout).toContain('nothing to do');
  });

  it('Ctrl-C inside a step lets that step commit whole, runs nothing after it, and still writes the report', async () => {
    const d = await db();
    const dir = tempDir();
    const sub = spawnCampfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md'], { cwd: dir, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '60000' } });
    await waitForStderr(sub, 'test pause before COMMIT');
    sub.kill('SIGINT');
    await waitForStderr(sub, 'Interrupted: finishing the current step');
    sub.kill('SIGUSR2');
    const r = await sub;
    expect(r.exitCode).toBe(1);
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('pass');
    expect(s['functions.security-definer']).toBe('fail');
    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toContain('### 1. Reset publication (the fix-publication plan): ✅ done');
    expect(report).toContain('**Stopped early:** interrupted (Ctrl-C) before this step. Already done before stopping: 1 done.');
    expect(report).toMatch(/### 2\. Restart the server: ⏹️ not run/);
    // The recovery lock was released on the way out (explicitly, before the process ended).
    expect(await d.query(`select pg_try_advisory_lock(${RECOVERY_LOCK_KEYS.join(', ')}) as ok`)).toEqual([{ ok: true }]);
  });
  it('kill -9 inside step 3 leaves steps 1 done, step 3 not done, and an up-to-date record on disk', async () => {
    const d = await db();
    const dir = tempDir();
    const sub = spawnCampfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md'], { cwd: dir, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '60000' } });
    let pauses = 0;
    const inStep3 = new Promise<void>((resolve) => {
      sub.stderr!.on('data', (chunk: Buffer) => {
        if (!chunk.toString().includes('test pause before COMMIT')) return;
        if (++pauses === 1) sub.kill('SIGUSR2');
        else resolve();
      });
    });
    await inStep3;
    sub.kill('SIGKILL');
    await sub;
    // The server ends the killed sessions: step 3's transaction rolls back and the recovery lock goes with them.
    for (;;) {
      const rows = await d.query(`select 1 from pg_stat_activity where datname = $1 and application_name like 'campfire%'`, [d.name]);
      if (!rows.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('pass');
    expect(s['functions.security-definer']).toBe('fail');
    expect(s['permissions.grants']).toBe('fail');
    const report = readFileSync(path.join(dir, 'r.md'), 'utf8');
    expect(report).toContain('**Outcome:** ⏳ in progress');
    expect(report).toContain('### 1. Reset publication (the fix-publication plan): ✅ done');
    expect(report).toContain('### 3. Reset database permissions (the fix-permissions plan): ⏹️ not run');
    expect(await d.query(`select pg_try_advisory_lock(${RECOVERY_LOCK_KEYS.join(', ')}) as ok`)).toEqual([{ ok: true }]);
  });
  it('stops when the recovery lock is lost (its session was terminated) instead of running unguarded', async () => {
    const d = await db();
    const dir = tempDir();
    const sub = spawnCampfire(['recover', '--db-url', d.url, '--yes', '--report', 'r.md'], { cwd: dir, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '60000' } });
    await waitForStderr(sub, 'test pause before COMMIT');
    const ended = await d.query(`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and application_name = 'campfire recover'`, [d.name]);
    expect(ended).toEqual([{ ok: true }]);
    sub.kill('SIGUSR2');
    const r = await sub;
    expect(r.exitCode).toBe(1);
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('pass');
    expect(s['functions.security-definer']).toBe('fail');
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('**Stopped early:** the recovery lock was lost (its database session ended). Already done before stopping: 1 done.');
  });
});
