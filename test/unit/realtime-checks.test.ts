import { describe, expect, it } from 'vitest';
import { summarize, type ChannelStats, type ProbeStats } from '../../src/realtime/stats.js';
import { statuses, verdicts } from '../support/realtime.js';

const channel = (over: Partial<ChannelStats> = {}): ChannelStats => ({
  name: 'bcast:org:o:conv:c', sender: { status: 'SUBSCRIBED', ms: 5 }, receiver: { status: 'SUBSCRIBED', ms: 6 },
  sent: 10, acked: 10, ackErrors: 0, ackTimeouts: 0, received: 10, lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0,
  ackLatency: summarize([1, 2, 3]), deliveryLatency: summarize([2, 3, 4]), heartbeat: { status: 'ok', roundTripMs: 2 }, reconnects: 0, ...over,
});
const stats = (channels: ChannelStats[], over: Partial<ProbeStats> = {}): ProbeStats => ({
  url: 'ws://x/realtime/v1/websocket', vsn: '2.0.0', transport: 'native', count: 10, intervalMs: 0, timeoutMs: 1000, maxLatencyMs: 1000,
  event: 'message:created', private: false, connect: { ok: true }, channels, durationMs: 1, ...over,
});

describe('summarize', () => {
  it('nearest-rank percentiles over measured values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(values)).toEqual({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarize([7])).toEqual({ count: 1, min: 7, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(summarize([])).toBeNull();
  });
});

describe('realtime judges (pure)', () => {
  it('duplicates and out-of-order deliveries fail realtime.broadcast', () => {
    const v = verdicts(stats([channel({ duplicated: 2, outOfOrder: 1 })]))['realtime.broadcast']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toBe('2 duplicated, 1 out of order');
  });

  it('a REST fallback fails realtime.broadcast even when every message arrived', () => {
    const v = verdicts(stats([channel({ fallbacks: 1, acked: 9 })]))['realtime.broadcast']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toBe('1 silently sent over the REST fallback');
    expect(v.findings[0]!.detail).toContain('silently posted them to the REST endpoint');
  });

  it('latency at the limit passes, above it fails', () => {
    const at = channel({ deliveryLatency: summarize([1000]) });
    expect(statuses(stats([at]))['realtime.latency']).toBe('pass');
    const over = channel({ deliveryLatency: summarize([1000.5]) });
    expect(statuses(stats([over]))['realtime.latency']).toBe('fail');
  });

  it('interrupted before any join: nothing passes, nothing pretends', () => {
    const s = stats([channel({ sender: { status: 'NOT_ATTEMPTED' }, receiver: { status: 'NOT_ATTEMPTED' }, sent: 0, received: 0 })], { aborted: 'interrupted' });
    expect(statuses(s)).toEqual({ 'realtime.bindings': 'skip', 'realtime.broadcast': 'skip', 'realtime.join': 'skip', 'realtime.heartbeat': 'skip', 'realtime.latency': 'skip', 'realtime.channel-exposure': 'skip' });
  });

  it('unknown network errors still fail realtime.join with the message', () => {
    const v = verdicts(stats([], { connect: { ok: false, code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' } }))['realtime.join']!;
    expect(v).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^host not found/) });
  });
});
