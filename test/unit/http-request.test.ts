import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpWidgetAuth } from '../../src/checks/http/widget-auth.js';
import { describeExchange } from '../../src/checks/http/input.js';
import { bodyError, MAX_BODY_BYTES, MAX_ERROR_TEXT, postJson } from '../../src/http/request.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { runChecks } from '../../src/checks/run.js';

/** A local server per test; `handler` answers every request. */
const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.closeAllConnections?.() ?? s.close()));
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/widget/auth`;
}

const BASIC = Buffer.from('app:Echoed-Basic-Pw-8c1').toString('base64');

describe('postJson: bodies are read up to a limit', () => {
  it('a body that never ends is cut at the limit, and the connection closed', async () => {
    let sent = 0;
    let closed!: () => void;
    const gone = new Promise<void>((r) => (closed = r));
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      pump();
    });
    const x = await postJson(url, {}, {}, 30_000);
    expect(x.status).toBe(500);
    expect(x.failure).toMatch(/larger than 1 MiB; campfire stopped reading it/);
    await gone; // campfire hung up rather than reading on
    expect(sent).toBeLessThan(MAX_BODY_BYTES * 64);
  });
});

describe('relayed HTTP text is scrubbed, stripped of escapes and bounded', () => {
  it('a JSON error body echoing the Authorization header and terminal escapes', async () => {
    const url = await serve((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Unauthorized \u001b[2J\u001b]0;pwned\u0007', received: { authorization: req.headers.authorization } }));
    });
    const x = await postJson(url, { authorization: `Basic ${BASIC}` }, {}, 10_000);
    const text = describeExchange(x);
    expect(text).toContain('HTTP 401: Unauthorized');
    expect(text).not.toContain(BASIC);
    expect(text).not.toMatch(/[\u001b\u0007]/);
  });

  it('a non-JSON body with a password and escapes', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>\u001b[31mBad gateway</h1> upstream postgres://app:Html-Body-Pw-22@db/x password=Html-Body-Pw-22');
    });
    const x = await postJson(url, {}, {}, 10_000);
    expect(x.failure).toContain('Bad gateway');
    expect(x.failure).not.toContain('Html-Body-Pw-22');
    expect(x.failure).not.toContain('\u001b');
  });
});

describe('bodyError: the server\'s error text, whatever field it is in', () => {
  it('shows details beside error (the issue\'s example)', () => {
    expect(bodyError({ error: 'Failed to create conversation', details: 'permission denied for table realtime_conversations' }))
      .toBe('Failed to create conversation; details: permission denied for table realtime_conversations');
  });
  it('nested, other field names, plain strings', () => {
    expect(bodyError({ error: { message: 'insert failed', code: '42501', hint: 'grant it' } })).toBe('insert failed; error.code: 42501; error.hint: grant it');
    expect(bodyError({ reason: 'quota exceeded' })).toBe('reason: quota exceeded');
    expect(bodyError({ success: false, errors: ['first', 'second'] })).toBe('errors.0: first; errors.1: second');
    expect(bodyError('plain text error')).toBe('plain text error');
    expect(bodyError({ success: false })).toBeUndefined();
  });
  it('bounded', () => {
    expect(bodyError({ error: 'x'.repeat(10_000) })!.length).toBeLessThanOrEqual(MAX_ERROR_TEXT + 1);
  });
  it('http.widget-auth names the permission problem from details and gives the permission advice', () => {
    const app = {
      app: 'http://a', orgId: 'o', visitorId: 'v', customerEmail: 'e', maxLatencyMs: 1000, messages: [],
      auth: { url: 'http://a/api/widget/auth', status: 500, latencyMs: 1, body: { error: 'Failed to create conversation', details: 'permission denied for table realtime_conversations', token: 'Body-Token-Zz9' } },
    };
    const [r] = runChecks([httpWidgetAuth], { app }, DEFAULT_CONFIG);
    expect(r!.summary).toContain('permission denied for table realtime_conversations');
    expect(r!.advice).toContain('fix-permissions repairs all three');
    expect(JSON.stringify(r)).not.toContain('Body-Token-Zz9');
  });
});

describe('probeApp: the Basic credentials it sends are registered as a secret', () => {
  it('an app echoing them in a shape the scrubber cannot recognise still shows ***', async () => {
    const { probeApp } = await import('../../src/http/probe.js');
    const { redact } = await import('../../src/secrets.js');
    let echoed = '';
    const url = await serve((req, res) => {
      echoed = String(req.headers.authorization).replace(/^Basic /, '');
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `rejected ${echoed}` }));
    });
    const base = new URL(url.replace('/api/widget/auth', ''));
    base.username = 'app';
    base.password = 'Probe-Basic-Pw-41';
    const probe = await probeApp({ appUrl: base, orgId: 'o', samples: 1, timeoutMs: 10_000 });
    expect(echoed).toBe(Buffer.from('app:Probe-Basic-Pw-41').toString('base64'));
    expect(redact(describeExchange(probe.auth))).toBe('HTTP 500: rejected ***');
  });
});

describe('a 200 that is not the expected answer still shows what the server said', () => {
  it('widget-auth without conversationId, widget-messages without success: true', async () => {
    const { httpWidgetMessages } = await import('../../src/checks/http/widget-messages.js');
    const app = {
      app: 'http://a', orgId: 'o', visitorId: 'v', customerEmail: 'e', maxLatencyMs: 1000,
      auth: { url: 'http://a/api/widget/auth', status: 200, latencyMs: 1, body: { error: 'org not found', hint: 'check x-organization-id' } },
      messages: [{ url: 'http://a/api/widget/messages', status: 200, latencyMs: 1, body: { success: false, error: 'rate limited' } }],
    };
    const [auth, messages] = runChecks([httpWidgetAuth, httpWidgetMessages], { app: { ...app, auth: { ...app.auth } } }, DEFAULT_CONFIG);
    expect(auth!.summary).toBe('widget auth failed: HTTP 200 but no conversationId in the body (org not found; hint: check x-organization-id)');
    expect(messages!.findings[0]!.detail).toBe('HTTP 200 without success: true (rate limited)');
  });
});
