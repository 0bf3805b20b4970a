import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.js';

const run = (args: string[], input?: string) =>
  execa(process.execPath, ['bin/campfire.js', 'doctor', ...args], { reject: false, env: { NO_COLOR: '1', DATABASE_URL: '', SUPABASE_DB_URL: '' }, input });

const byId = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout) as { checks: { id: string; status: string; summary: string }[] }).checks.map((c) => [c.id, c]));

describe('doctor inputs: runs what it was given, skips the rest, refuses bad flags', () => {
  let dir: string;
  let log: string;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-inputs-'));
    log = path.join(dir, 'server.log');
    writeFileSync(log, '2026-11-25T23:00:00Z [Realtime] ✅ Broadcast successful: org:o:conv:c -> message:created\n');
    // An app that answers HTML, hangs on /slow, and returns 200 without success on messages.
    server = http.createServer((req, res) => {
      if (req.headers['x-organization-id'] === 'slow') return; // never answers
      if (req.url === '/html/api/widget/auth') return res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      if (req.url === '/ok/api/widget/auth') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"conversationId":"c1"}');
      if (req.url === '/ok/api/widget/messages') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":false,"error":"nope"}');
      res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('no input at all is a usage error (exit 2)', async () => {
    const r = await run([]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Nothing to check');
  });

  it('logs only: database and app checks skip with the reason', async () => {
    const r = await run(['--log', log, '--json']);
    expect(r.exitCode).toBe(0);
    const c = byId(r.stdout);
    expect(c['logs.broadcast-success']!.status).toBe('pass');
    expect(c['publication.exists']).toMatchObject({ status: 'skip', summary: expect.stringContaining('--db-url') });
    expect(c['http.widget-auth']).toMatchObject({ status: 'skip', summary: expect.stringContaining('--app-url') });
  });

  it('reads - from stdin', async () => {
    const r = await run(['--log', '-', '--json'], '2026-11-25T23:00:00Z mismatch between server and client bindings\n');
    expect(r.exitCode).toBe(1);
    expect(byId(r.stdout)['logs.binding-mismatch']!.summary).toMatch(/^1 "mismatch" line in \(stdin\)/);
  });

  it.each([
    [['--app-url', 'http://x'], '--org-id'],
    [['--org-id', 'o'], '--app-url'],
    [['--app-url', 'ftp://x', '--org-id', 'o'], 'http://'],
    [['--app-url', 'http://x', '--org-id', 'o', '--samples', '0'], '--samples'],
    [['--log', 'x.log', '--max-latency-ms', 'fast'], '--max-latency-ms'],
    [['--log', '/no/such.log'], 'does not exist'],
    [['--log', '-', '--log', '-'], 'only once'],
  ])('%j → exit 2 naming %s', async (args, text) => {
    const r = await run(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--no-write-probes skips the widget checks with the reason and sends nothing', async () => {
    const r = await run(['--app-url', 'http://127.0.0.1:1', '--org-id', 'o', '--no-write-probes', '--json']);
    expect(r.exitCode).toBe(0);
    expect(byId(r.stdout)['http.widget-auth']).toMatchObject({ status: 'skip', summary: expect.stringContaining('--no-write-probes') });
  });

  it('a refused connection is a failed check, not a crash', async () => {
    const port = await freePort();
    const r = await run(['--app-url', `http://127.0.0.1:${port}`, '--org-id', 'o', '--json']);
    expect(r.exitCode).toBe(1);
    const c = byId(r.stdout);
    expect(c['http.widget-auth']!.summary).toContain('connection refused');
    expect(c['http.widget-messages']!.status).toBe('skip');
  });

  it('a non-JSON body and a timeout are clear findings', async () => {
    const html = await run(['--app-url', `${base}/html`, '--org-id', 'o', '--json']);
    expect(byId(html.stdout)['http.widget-auth']!.summary).toMatch(/HTTP 502, response is not JSON \(text\/html\)/);
    const slow = await run(['--app-url', base, '--org-id', 'slow', '--http-timeout', '300ms', '--json']);
    expect(slow.exitCode).toBe(1);
    expect(byId(slow.stdout)['http.widget-auth']!.summary).toContain('no response within 300ms');
  });

  it('a TLS error is a clear finding', async () => {
    // A plain-HTTP server spoken to over https: the TLS handshake fails.
    const r = await run(['--app-url', base.replace('http:', 'https:'), '--org-id', 'o', '--json']);
    expect(r.exitCode).toBe(1);
    expect(byId(r.stdout)['http.widget-auth']!.summary).toMatch(/TLS error|EPROTO|SSL/i);
  });

  it('messages without success: true fail with the body error', async () => {
    const r = await run(['--app-url', `${base}/ok`, '--org-id', 'o', '--samples', '2', '--json']);
    const c = byId(r.stdout);
    expect(c['http.widget-auth']!.status).toBe('pass');
    expect(c['http.widget-messages']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^2 of 2 messages failed/) });
  });
});
