import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { probe, startServer, statuses, verdicts, KEY } from '../support/realtime.js';

let server: RealtimeServer | undefined;

/** realtime-js reconnects 1 s after a drop: past that, no socket may have come back. */
async function expectNoReconnectAfterCleanup(s: RealtimeServer) {
  const connections = s.counts.connections;
  await new Promise((r) => setTimeout(r, 1500));
  expect(s.openSockets()).toBe(0);
  expect(s.counts.connections).toBe(connections);
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probe-broadcast against the fixture Realtime server (real supabase-js)', () => {
  for (const [vsn, transport, deliveries] of [
    ['2.0.0', 'native', 'binary'],
    ['2.0.0', 'ws', 'json'],
    ['1.0.0', 'native', 'json'],
    ['1.0.0', 'ws', 'json'],
  ] as const) {
    it(`healthy: 200 messages on each of the three channels all delivered (vsn ${vsn}, ${transport} transport, ${deliveries} deliveries)`, async () => {
      server = await startServer({ deliveries });
      const stats = await probe(server, { count: 200, intervalMs: 1, vsn, transport });
      expect(stats.connect.ok).toBe(true);
      expect(stats.channels.map((c) => c.name)).toEqual(['bcast:org:org-1:conv:conv-1', 'bcast:org:org-1', 'bcast:org:org-1:conversations']);
      for (const c of stats.channels) {
        expect([c.sender.status, c.receiver.status]).toEqual(['SUBSCRIBED', 'SUBSCRIBED']);
        expect({ sent: c.sent, acked: c.acked, received: c.received, lost: c.lost, duplicated: c.duplicated, outOfOrder: c.outOfOrder, fallbacks: c.fallbacks })
          .toEqual({ sent: 200, acked: 200, received: 200, lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0 });
        expect(c.ackLatency?.count).toBe(200);
        expect(c.deliveryLatency?.count).toBe(200);
        expect(c.deliveryLatency!.p95).toBeGreaterThanOrEqual(c.deliveryLatency!.min);
        expect(c.heartbeat.status).toBe('ok');
        expect(c.heartbeat.roundTripMs).toBeTypeOf('number');
        expect(c.reconnects).toBe(0);
      }
      expect(statuses(stats)).toEqual({ 'realtime.bindings': 'skip', 'realtime.broadcast': 'pass', 'realtime.join': 'pass', 'realtime.heartbeat': 'pass', 'realtime.latency': 'pass', 'realtime.channel-exposure': 'skip' });
      // The server saw every broadcast over the socket (none over REST) and every client left and disconnected.
      expect(server.counts.broadcasts).toBe(600);
      expect(server.counts.restBroadcasts).toBe(0);
      expect(server.counts.leaves).toBe(6);
      expect(server.openSockets()).toBe(0);
    });
  }

  it('wrong key: HTTP 401 at upgrade fails realtime.join with "wrong key"', async () => {
    server = await startServer();
    const stats = await probe(server, { key: 'not-the-key' });
    expect(stats.connect).toMatchObject({ ok: false, httpStatus: 401 });
    const v = verdicts(stats);
    expect(v['realtime.join']!.status).toBe('fail');
    expect(v['realtime.join']!.summary).toMatch(/^wrong key: .*HTTP 401/);
    expect(v['realtime.broadcast']!.status).toBe('skip');
    expect(server.counts.joins).toBe(0);
  });

  it('nothing listening: ECONNREFUSED fails realtime.join with "nothing listening"', async () => {
    server = await startServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const stats = await probe({ url });
    expect(stats.connect.code).toBe('ECONNREFUSED');
    expect(verdicts(stats)['realtime.join']!.summary).toMatch(/^nothing listening at ws:\/\/127\.0\.0\.1/);
  });

  it("join refused: CHANNEL_ERROR with the server's reason", async () => {
    server = await startServer({ refuseJoins: 'Unauthorized: You do not have permissions to read from this Channel topic' });
    const stats = await probe(server, { private: true });
    expect(stats.channels.every((c) => c.sender.status === 'CHANNEL_ERROR' && c.receiver.status === 'CHANNEL_ERROR')).toBe(true);
    const v = verdicts(stats)['realtime.join']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toContain('join refused by the server: Unauthorized: You do not have permissions to read from this Channel topic');
    expect(v.advice).toMatch(/RLS policy on realtime.messages/);
    expect(server.openSockets()).toBe(0);
  });

  it('join never answered: TIMED_OUT within --timeout-ms', async () => {
    server = await startServer({ ignoreJoins: true });
    const stats = await probe(server, { timeoutMs: 500 });
    expect(stats.channels.map((c) => c.sender.status)).toEqual(['TIMED_OUT', 'TIMED_OUT', 'TIMED_OUT']);
    expect(verdicts(stats)['realtime.join']!.summary).toMatch(/join timed out after 500ms/);
    expect(stats.durationMs).toBeLessThan(30_000); // bounded, not a timing assertion
    expect(server.openSockets()).toBe(0);
  });

  it('every 4th delivery dropped: realtime.broadcast fails with the loss counted', async () => {
    server = await startServer({ dropEvery: 4 });
    const stats = await probe(server, { timeoutMs: 500 });
    const lost = stats.channels.reduce((n, c) => n + c.lost, 0);
    expect(lost).toBe(server.counts.dropped);
    expect(lost).toBe(15);
    const v = verdicts(stats)['realtime.broadcast']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toBe('15 of 60 lost');
  });

  it('every delivery dropped: "acks without delivery"', async () => {
    server = await startServer({ dropEvery: 1 });
    const stats = await probe(server, { timeoutMs: 500, channels: ['conv'] });
    const v = verdicts(stats);
    expect(v['realtime.broadcast']!.summary).toMatch(/^acks without delivery: .*acknowledged 20 broadcasts but the receiver got none/);
    expect(v['realtime.latency']!.status).toBe('skip');
  });

  it('never acks: "delivery without acks", each send timed out', async () => {
    server = await startServer({ neverAck: true });
    const stats = await probe(server, { timeoutMs: 500, channels: ['conv'] });
    expect(stats.channels[0]).toMatchObject({ sent: 20, acked: 0, ackTimeouts: 20, received: 20 });
    const v = verdicts(stats)['realtime.broadcast']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/^delivery without acks: /);
  });

  it('delayed deliveries: realtime.latency fails above --max-latency-ms, broadcast still passes', async () => {
    server = await startServer({ delayMs: 300 });
    const stats = await probe(server, { maxLatencyMs: 100, timeoutMs: 2000, channels: ['conv', 'org'] });
    const s = statuses(stats);
    expect(s['realtime.latency']).toBe('fail');
    expect(s['realtime.broadcast']).toBe('pass');
    // The server holds each delivery 300 ms (timer granularity allows a hair less).
    expect(stats.channels[0]!.deliveryLatency!.min).toBeGreaterThan(250);
    expect(verdicts(stats)['realtime.latency']!.summary).toMatch(/over the 100 ms limit/);
  });

  it('heartbeats ignored: realtime.heartbeat fails with "heartbeat timeout"', async () => {
    server = await startServer({ ignoreHeartbeats: true });
    const stats = await probe(server, { timeoutMs: 500, channels: ['conv'], count: 5 });
    expect(stats.channels[0]!.heartbeat.status).toBe('timeout');
    const v = verdicts(stats)['realtime.heartbeat']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/^heartbeat timeout on 1 of 1 channel:/);
    await expectNoReconnectAfterCleanup(server);
  });

  it('sockets closed by the server: reconnects counted and realtime.heartbeat fails', async () => {
    server = await startServer({ closeAfterFrames: 6 });
    const stats = await probe(server, { timeoutMs: 2500, channels: ['conv'], count: 30, intervalMs: 100 });
    const c = stats.channels[0]!;
    expect(c.reconnects).toBeGreaterThan(0);
    expect(server.counts.socketsClosedByServer).toBeGreaterThan(0);
    expect(statuses(stats)['realtime.heartbeat']).toBe('fail');
    // Sends made while the channel was rejoining went over REST: counted, never timed as acks.
    expect(c.fallbacks).toBe(server.counts.restBroadcasts);
    expect(c.acked).toBeLessThanOrEqual(c.sent - c.fallbacks);
    await expectNoReconnectAfterCleanup(server);
  });

  it('--bindings: a faithful echo passes, an altered echo is the mismatch error', async () => {
    const bindings = { file: 'bindings.json', channel: 'app-changes', bindings: [{ event: 'INSERT' as const, schema: 'public', table: 'messages', filter: 'organization_id=eq.org-1' }] };
    server = await startServer();
    const good = await probe(server, { bindings, channels: ['conv'], count: 1 });
    expect(good.bindings).toMatchObject({ matches: true, join: { status: 'SUBSCRIBED' } });
    expect(good.bindings!.echoed).toEqual([{ event: 'INSERT', schema: 'public', table: 'messages', filter: 'organization_id=eq.org-1', id: 10000 }]);
    expect(statuses(good)['realtime.bindings']).toBe('pass');

    server.misbehave({ alterBindings: true });
    const bad = await probe(server, { bindings, channels: ['conv'], count: 1 });
    expect(bad.bindings).toMatchObject({ matches: false, join: { status: 'CHANNEL_ERROR', reason: 'mismatch between server and client bindings for postgres changes' } });
    const v = verdicts(bad)['realtime.bindings']!;
    expect(v.status).toBe('fail');
    expect(v.findings.find((f) => f.object === 'server echoed')!.detail).toContain('messages_altered');
  });

  it('REST endpoints: batch and per-event httpSend both fan out to joined clients', async () => {
    server = await startServer();
    const { createClient } = await import('@supabase/supabase-js');
    const client = createClient(server.url, KEY, { auth: { persistSession: false } });
    const got: unknown[] = [];
    const ch = client.channel('bcast:rest-test').on('broadcast', { event: 'e' }, (m) => void got.push(m.payload));
    await new Promise<void>((resolve) => ch.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
    // A logger keeps realtime-js's fallback warning off the test output.
    const sender = createClient(server.url, KEY, { auth: { persistSession: false }, realtime: { logger: () => {} } });
    await expect(sender.channel('bcast:rest-test').httpSend('e', { n: 1 })).resolves.toEqual({ success: true });
    // A not-joined channel's send() silently falls back to the batch endpoint and still says "ok".
    await expect(sender.channel('bcast:rest-test').send({ type: 'broadcast', event: 'e', payload: { n: 2 } })).resolves.toBe('ok');
    const until = Date.now() + 5000;
    while (got.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(server.counts.restBroadcasts).toBe(2);
    await client.removeAllChannels();
    await sender.removeAllChannels();
  });
});

describe('the probe is bounded', () => {
  it('stops at the overall deadline: join fails as "hit its overall deadline", every socket closed', async () => {
    server = await startServer({ ignoreJoins: true });
    const stats = await probe(server, { timeoutMs: 20_000, deadlineMs: 300 });
    expect(stats.aborted).toBe('deadline');
    expect(stats.channels.map((c) => c.sender.status)).toEqual(['NOT_ATTEMPTED', 'NOT_ATTEMPTED', 'NOT_ATTEMPTED']);
    const v = verdicts(stats)['realtime.join']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/hit its overall deadline/);
    expect(stats.durationMs).toBeLessThan(20_000); // it did not wait for the 20 s join timeout
    expect(server.openSockets()).toBe(0);
  });

  it('an abort signal (Ctrl-C) mid-send stops sending and cleans up', async () => {
    server = await startServer();
    const controller = new AbortController();
    const s = server;
    const watcher = setInterval(() => s.counts.broadcasts >= 10 && controller.abort(), 5);
    const stats = await probe(server, { count: 100_000, intervalMs: 2, signal: controller.signal });
    clearInterval(watcher);
    expect(stats.aborted).toBe('interrupted');
    expect(stats.channels[0]!.sent).toBeLessThan(100_000);
    expect(statuses(stats)['realtime.join']).toBe('pass');
    expect(server.counts.leaves).toBe(6);
    expect(server.openSockets()).toBe(0);
  });
});
