import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderProbeTable } from '../../src/realtime/render.js';
import type { ChannelStats, LatencySummary, ProbeStats } from '../../src/realtime/stats.js';
import { seededRandom } from '../support/random.js';

const chalk = new Chalk({ level: 0 });

describe('probe-broadcast measurements', () => {
  it('fit 100 columns (80 for typical values) whatever the numbers, one block per channel', () => {
    const rand = seededRandom(18);
    const n = (max: number) => Math.floor(rand() * max);
    for (let i = 0; i < 300; i++) {
      // "big": the largest values the flags allow; otherwise what a probe usually sees (under 10 s).
      const big = rand() < 0.5;
      const top = big ? 120_000 : 10_000;
      const lat = (): LatencySummary | null => (rand() < 0.1 ? null : { count: 1, min: 0.1, p50: rand() * top, p95: rand() * top, p99: rand() * top, max: top });
      const count = big ? 100_000 : 50;
      const channel = (name: string): ChannelStats => ({
        name, sender: { status: rand() < 0.2 ? 'TIMED_OUT' : 'SUBSCRIBED', ms: n(top) }, receiver: { status: rand() < 0.1 ? 'CHANNEL_ERROR' : 'SUBSCRIBED', ms: n(5000) },
        sent: count, acked: n(count + 1), ackErrors: 0, ackTimeouts: 0, received: n(2 * count), lost: n(count), duplicated: n(count), outOfOrder: n(count), fallbacks: n(count),
        ackLatency: lat(), deliveryLatency: lat(), heartbeat: rand() < 0.2 ? { status: 'timeout' } : { status: 'ok', roundTripMs: n(top) }, reconnects: n(1000),
      });
      const stats: ProbeStats = {
        url: 'wss://p.supabase.co/realtime/v1/websocket', vsn: '2.0.0', transport: rand() < 0.5 ? 'ws' : 'native', count, intervalMs: n(60_000), timeoutMs: 120_000,
        maxLatencyMs: 1000, event: big ? 'conversation:updated-typing' : 'message:created', private: rand() < 0.5, connect: { ok: true },
        channels: [channel('bcast:org:o:conv:c'), channel('bcast:org:o'), channel('bcast:org:o:conversations')], durationMs: n(10_000_000),
      };
      const lines = renderProbeTable(stats, chalk).split('\n');
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(big ? 100 : 80);
      expect(lines.filter((l) => /^  bcast:/.test(l))).toHaveLength(3);
    }
  });
});
