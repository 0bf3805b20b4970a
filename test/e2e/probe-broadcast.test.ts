import { execa } from 'execa';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { KEY, startServer } from '../support/realtime.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const env = () => {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const k of ['DATABASE_URL', 'SUPABASE_DB_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY']) delete e[k];
  return e;
};
const campfire = (args: string[], extraEnv: Record<string, string> = {}) =>
  execa(process.execPath, ['bin/campfire.js', ...args], { cwd: ROOT, reject: false, env: { ...env(), ...extraEnv }, extendEnv: false, timeout: 60_000 });

let server: RealtimeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('campfire probe-broadcast (built CLI)', () => {
  it('healthy delivery (outsider test off): exit 0, exactly one JSON document, the key nowhere in the output', async () => {
    server = await startServer();
    const r = await campfire(['probe-broadcast', '--url', server.url, '--org', 'o', '--conv', 'c', '--count', '30', '--interval-ms', '1', '--no-exposure', '--json'], { SUPABASE_ANON_KEY: KEY });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.exitCode).toBe(0);
    expect(report.target).toEqual({ realtime: `${server.url.replace('http', 'ws')}/realtime/v1/websocket` });
    expect(Object.fromEntries(report.checks.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual({
      'realtime.bindings': 'skip', 'realtime.broadcast': 'pass', 'realtime.join': 'pass', 'realtime.heartbeat': 'pass', 'realtime.latency': 'pass',
      'realtime.channel-exposure': 'skip',
    });
    expect(report.realtime.channels.map((c: { received: number }) => c.received)).toEqual([30, 30, 30]);
    expect(report.summary).toMatchObject({ pass: 4, fail: 0, skip: 2 });
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
    expect(server.openSockets()).toBe(0);
  });

  it("the guide's public channels: exit 1, the report says anyone with the publishable key can read the org's conversation list", async () => {
    server = await startServer();
    const r = await campfire(['probe-broadcast', '--url', server.url, '--key', KEY, '--org', 'o', '--conv', 'c', '--count', '5']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ realtime.channel-exposure');
    expect(r.stdout).toMatch(/anyone with your publishable key can read organisation o's/);
    expect(r.stdout).toContain("organisation o's conversation list");
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
    expect(server.openSockets()).toBe(0);
  });

  it('join refused: exit 1 and the human report names the reason', async () => {
    server = await startServer({ refuseJoins: 'private channel: no RLS policy lets anon read it' });
    const r = await campfire(['probe-broadcast', '--url', server.url, '--key', KEY, '--org', 'o', '--conv', 'c', '--private']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ realtime.join');
    // Lines wrap at 80 columns off a terminal: compare the text, not the layout.
    expect(r.stdout.replace(/\n +/g, ' ')).toContain('join refused by the server: private channel: no RLS policy lets anon read it');
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });

  it('wrong key: exit 1, "wrong key", and neither key is printed', async () => {
    server = await startServer();
    const r = await campfire(['probe-broadcast', '--url', server.url, '--key', 'wrong-key-7d1e', '--org', 'o', '--conv', 'c', '--json', '--debug']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.checks.find((c: { id: string }) => c.id === 'realtime.join').summary).toMatch(/^wrong key/);
    expect(`${r.stdout}${r.stderr}`).not.toContain('wrong-key-7d1e');
  });

  it.each([
    [['--key', 'some-key', '--org', 'o', '--conv', 'c'], /No Realtime to probe: pass --supabase-url/],
    [['--url', 'http://127.0.0.1:1', '--org', 'o', '--conv', 'c'], /No key: pass --anon-key/],
    [['--url', 'http://127.0.0.1:1', '--key', 'some-key', '--conv', 'c'], /--org-id is required/],
    [['--url', 'ftp://x', '--key', 'some-key', '--org', 'o', '--conv', 'c'], /--url must start with https:\/\//],
    [['--url', 'http://127.0.0.1:1', '--key', 'some-key', '--org', 'o', '--conv', 'c', '--count', 'lots'], /--count must be a whole number/],
    [['--url', 'http://127.0.0.1:1', '--key', 'some-key', '--org', 'o', '--conv', 'c', '--channels', 'conv,room'], /--channels takes a comma list/],
    [['--url', 'http://127.0.0.1:1', '--key', 'some-key', '--org', 'o', '--conv', 'c', '--bindings', '/nonexistent.json'], /--bindings: cannot read/],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const r = await campfire(['probe-broadcast', ...args]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('--bindings FILE: altered echo fails realtime.bindings through the CLI', async () => {
    server = await startServer({ alterBindings: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-bindings-'));
    const file = path.join(dir, 'bindings.json');
    writeFileSync(file, JSON.stringify([{ event: '*', schema: 'public', table: 'messages' }]));
    const r = await campfire(['probe-broadcast', '--url', server.url, '--key', KEY, '--org', 'o', '--conv', 'c', '--count', '3', '--channels', 'conv', '--bindings', file, '--json']);
    expect(r.exitCode).toBe(1);
    const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'realtime.bindings');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/^mismatch between server and client bindings/);
  });

  it('Ctrl-C mid-probe: exits 130, prints the partial report, leaves no channel or socket behind', async () => {
    server = await startServer();
    const child = campfire(['probe-broadcast', '--url', server.url, '--key', KEY, '--org', 'o', '--conv', 'c', '--count', '100000', '--interval-ms', '5', '--json']);
    const s = server;
    const until = Date.now() + 30_000;
    while (s.counts.broadcasts < 30 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(s.counts.broadcasts).toBeGreaterThanOrEqual(30);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('interrupted: the probe removed its channels and disconnected');
    const report = JSON.parse(r.stdout);
    expect(report.realtime.aborted).toBe('interrupted');
    expect(report.realtime.channels[0].sent).toBeLessThan(100000);
    expect(s.counts.leaves).toBe(6);
    const closed = Date.now() + 5000;
    while (s.openSockets() > 0 && Date.now() < closed) await new Promise((r) => setTimeout(r, 20));
    expect(s.openSockets()).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });
});

describe('campfire doctor: the realtime section', () => {
  it('with no input at all: usage error, exit 2', async () => {
    const r = await campfire(['doctor']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: Nothing to check: pass --db-url/);
  });

  it('realtime input only: runs the probe, skips the database checks with the reason, exit 0', async () => {
    server = await startServer();
    const r = await campfire(['doctor', '--supabase-url', server.url, '--org', 'o', '--conv', 'c', '--skip', 'realtime.channel-exposure', '--json'], { SUPABASE_ANON_KEY: KEY });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.checks.map((c: { id: string }) => [c.id, c]));
    expect(byId['realtime.broadcast'].status).toBe('pass');
    expect(byId['publication.exists']).toMatchObject({ status: 'skip', summary: expect.stringMatching(/^no database given/) });
    expect(report.target.realtime).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/realtime\/v1\/websocket$/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });

  it('explicit but incomplete realtime flags: exit 2 naming the missing flag', async () => {
    const r = await campfire(['doctor', '--supabase-url', 'http://127.0.0.1:1', '--org', 'o', '--conv', 'c']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/No key: pass --anon-key/);
  });

  it('a failing probe fails doctor (exit 1)', async () => {
    server = await startServer({ neverAck: true });
    const r = await campfire(['doctor', '--supabase-url', server.url, '--anon-key', KEY, '--org', 'o', '--conv', 'c']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.replace(/\n +/g, ' ')).toContain('✗ realtime.broadcast  delivery without acks');
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });
});

describe('fixtures/realtime-server as a process', () => {
  it('starts from its CLI, prints its URL, serves a probe, stops on SIGTERM', async () => {
    const srv = execa(process.execPath, ['fixtures/realtime-server/cli.ts', '--key', KEY, '--json-deliveries'], { cwd: ROOT, reject: false });
    const line = await Promise.race([
      new Promise<string>((resolve) => srv.stdout!.once('data', (d: Buffer) => resolve(d.toString()))),
      srv.then((r) => Promise.reject(new Error(`fixture server exited early: ${r.stderr}`))),
    ]);
    const { url } = JSON.parse(line) as { url: string };
    const r = await campfire(['probe-broadcast', '--url', url, '--key', KEY, '--org', 'o', '--conv', 'c', '--count', '10', '--vsn', '1.0.0', '--transport', 'ws', '--no-exposure', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).realtime).toMatchObject({ vsn: '1.0.0', transport: 'ws' });
    srv.kill('SIGTERM');
    expect((await srv).exitCode).toBe(0);
  });
});

describe('the launcher', () => {
  it('exits quietly when the reader of stdout goes away (| head)', async () => {
    const r = await execa('sh', ['-c', `"${process.execPath}" bin/campfire.js checks | head -1`], { cwd: ROOT, reject: false, env: env(), extendEnv: false });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });
});
