import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';

/**
 * `campfire demo` as a user runs it: the built CLI, its own cache dir (XDG_CACHE_HOME) and TMPDIR, so
 * the test can prove it leaves no server, no lock and no temp file behind.
 */
const cache = mkdtempSync(path.join(os.tmpdir(), 'campfire-demo-cache-'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'campfire-demo-tmp-'));
// As root the server runs as the postgres user, which must reach both (mkdtemp makes them 0700).
chmodSync(cache, 0o755);
chmodSync(tmp, 0o755);
const demoDir = path.join(cache, 'campfire', 'demo');
const data = path.join(demoDir, 'data');
const pidFile = path.join(data, 'postmaster.pid');

async function demo(...args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: cache, TMPDIR: tmp, NO_COLOR: '1', DATABASE_URL: undefined, SUPABASE_DB_URL: undefined, GITHUB_ACTIONS: undefined, CI: undefined };
  const r = await execa(process.execPath, [BIN, 'demo', ...args], { reject: false, cwd: ROOT, env, extendEnv: false, timeout: 240_000, input: '' });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Every live process whose command line mentions the demo's data directory (Linux /proc). */
function processesOnDemoData(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(data)) found.push(Number(entry));
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

function postmasterPid(): number {
  return Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

let keptPort = 0;

function keptUrl(stdout: string): string {
  const url = /DATABASE_URL='([^']+)'/.exec(stdout)?.[1];
  if (!url) throw new Error(`no URL in:\n${stdout}`);
  return url;
}

afterAll(async () => {
  if (existsSync(pidFile)) await demo('--stop');
  rmSync(cache, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('campfire demo (the built CLI, embedded PostgreSQL)', () => {
  it('runs to the end (exit 0) and leaves no server, lock or temp file behind', { timeout: 300_000 }, async () => {
    const r = await demo();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('initialised now');
    // Red first, then the decision explained and made, then green.
    expect(r.stdout).toMatch(/Summary: \d+ passed, [1-9]\d* failed/);
    expect(r.stdout).toContain('The decision a person would make');
    expect(r.stdout).toMatch(/Summary: \d+ passed, 0 failed, \d+ warnings?, \d+ skipped, 0 errors\n\nFrom \d+ failing checks to none/);
    expect(processesOnDemoData()).toEqual([]);
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(path.join(demoDir, 'demo.lock'))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f !== 'node-compile-cache')).toEqual([]);
    // The apply wrote its undo scripts beside the demo data, not into the current directory.
    expect(readdirSync(path.join(demoDir, 'undo')).sort()).toEqual(['fix-permissions.sql', 'fix-publication.sql']);
    // The password is generated and private to this user; it is never printed without --keep.
    const password = readFileSync(path.join(demoDir, 'password'), 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await import('node:fs')).statSync(path.join(demoDir, 'password')).mode & 0o077).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('--keep leaves a working, repaired server (data reused); --stop stops it', { timeout: 300_000 }, async () => {
    const password = readFileSync(path.join(demoDir, 'password'), 'utf8').trim();
    const r = await demo('--keep');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('(reused)');
    expect(readFileSync(path.join(demoDir, 'password'), 'utf8').trim()).toBe(password);
    const practice = keptUrl(r.stdout);
    expect(practice).toContain(password);
    expect(new URL(practice).pathname).toBe('/campfire_practice');
    keptPort = Number(new URL(practice).port);
    const pid = postmasterPid();
    expect(alive(pid)).toBe(true);
    // The printed URL is the sandbox: a fresh broken Campfire, so the suggested commands have work to do.
    const broken = await execa(process.execPath, [BIN, 'doctor', '--db-url', practice, '--json'], { reject: false, cwd: ROOT });
    expect(broken.exitCode).toBe(1);
    expect(JSON.parse(String(broken.stdout)).summary.fail).toBeGreaterThan(0);
    expect(r.stdout).toContain('npx campfire fix-publication');
    // Every command --keep suggests runs as printed, in a shell, after its export line (issue 15: a bare
    // `campfire` is not on PATH in a project that installed it). 127 is "command not found"; 2 a usage error.
    const out = r.stdout.split('\n');
    const from = out.findIndex((l) => /^ {2}export DATABASE_URL=/.test(l));
    const suggested = out.slice(from).filter((l, i) => /^ {2}\S/.test(l) && !l.trim().startsWith('(') && (i === 0 || out.slice(from, from + i).every((x) => /^ {2}\S/.test(x))));
    const [exportLine, ...commands] = suggested.map((l) => l.trim());
    expect(exportLine).toMatch(/^export DATABASE_URL=/);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command, 'a bare campfire is not on PATH').not.toMatch(/^campfire\b/);
      const ran = await execa('bash', ['-c', `${exportLine}\n${command}`], {
        reject: false, cwd: ROOT, input: '', env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: '1' },
      });
      expect([0, 1], `${command}: ${ran.stderr}`).toContain(ran.exitCode);
    }
    // The demo's own database is in the state the demo ended in: published, granted, RLS on everywhere.
    const url = practice.replace(/\/campfire_practice$/, '/campfire_demo');
    const rls = await query<{ relname: string; relrowsecurity: boolean }>(url, `select relname, relrowsecurity from pg_class where relname in ('conversations','messages','realtime_conversations') order by 1`);
    expect(rls.every((t) => t.relrowsecurity)).toBe(true);
    const published = await query<{ tablename: string }>(url, `select tablename from pg_publication_tables where pubname = 'supabase_realtime' order by 1`);
    expect(published.map((p) => p.tablename)).toEqual(['conversations', 'messages', 'realtime_conversations']);
    // ...and every other command works on it: doctor says healthy.
    const doctor = await execa(process.execPath, [BIN, 'doctor', '--db-url', url, '--json'], { reject: false, cwd: ROOT });
    expect(doctor.exitCode).toBe(0);
    expect(JSON.parse(String(doctor.stdout)).summary.fail).toBe(0);

    const stop = await demo('--stop');
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`Stopped the demo server (pid ${pid}`);
    expect(alive(pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    expect(processesOnDemoData()).toEqual([]);
    const again = await demo('--stop');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('No demo server is running');
  });

  it('cleans up after a killed server (stale postmaster.pid) and runs again', { timeout: 300_000 }, async () => {
    const kept = await demo('--keep');
    expect(kept.exitCode, kept.stderr).toBe(0);
    // The port is the one the last --keep printed: a DATABASE_URL from an earlier run keeps working.
    expect(Number(new URL(keptUrl(kept.stdout)).port)).toBe(keptPort);
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(pidFile)).toBe(true);

    const r = await demo();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('removed a stale postmaster.pid');
    expect(processesOnDemoData()).toEqual([]);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('never signals an unrelated process a stale postmaster.pid names', { timeout: 300_000 }, async () => {
    // This test process is alive and is no postgres: the pid file is stale whatever kill(pid, 0) says.
    writeFileSync(pidFile, `${process.pid}\n${data}\n1700000000\n5432\n\n127.0.0.1\n  1  2\nready   \n`);
    const r = await demo();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`process ${process.pid} is not a postgres serving`);
    expect(processesOnDemoData()).toEqual([]);
  });

  it('makes the data directory again when it is from another PostgreSQL major version; takes over a dead run\'s lock', { timeout: 300_000 }, async () => {
    writeFileSync(path.join(data, 'PG_VERSION'), '16\n');
    // ...and the lock of a campfire that was killed (its pid is gone) does not stop the next run.
    const gone = await execa(process.execPath, ['-e', '0']);
    writeFileSync(path.join(demoDir, 'demo.lock'), `${gone.pid}\n`);
    const r = await demo();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('initialised now');
    expect(readFileSync(path.join(data, 'PG_VERSION'), 'utf8').trim()).toBe('17');
    expect(processesOnDemoData()).toEqual([]);
  });

  it('Ctrl-C mid-demo stops the server it started (exit 130, nothing left running)', { timeout: 300_000 }, async () => {
    const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: cache, TMPDIR: tmp, NO_COLOR: '1', DATABASE_URL: undefined, CI: undefined };
    const sub = execa(process.execPath, [BIN, 'demo'], { reject: false, cwd: ROOT, env, extendEnv: false, timeout: 240_000 });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      sub.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Load a broken Campfire')) resolve();
      });
      sub.then((r) => reject(new Error(`exited (${r.exitCode}) early: ${seen}${String(r.stderr)}`)), reject);
    });
    expect(existsSync(pidFile)).toBe(true);
    const pid = postmasterPid();
    sub.kill('SIGINT');
    const r = await sub;
    expect(r.exitCode).toBe(130);
    expect(alive(pid)).toBe(false);
    expect(processesOnDemoData()).toEqual([]);
    expect(existsSync(path.join(demoDir, 'demo.lock'))).toBe(false);
  });

  it('refuses to run beside another demo (exit 2, one line) and rejects --keep with --stop', async () => {
    writeFileSync(path.join(demoDir, 'demo.lock'), `${process.pid}\n`);
    try {
      const r = await demo();
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`error: Another campfire demo is running (pid ${process.pid}): wait for it to finish before starting another.`]);
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      rmSync(path.join(demoDir, 'demo.lock'), { force: true });
    }
    const both = await demo('--keep', '--stop');
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('--keep and --stop contradict each other');
  });
});
