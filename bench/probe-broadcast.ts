/**
 * Benchmark (not a test): how much does the probe (supabase-js + bookkeeping) add to the ack round
 * trip, compared with a raw `ws` client speaking the same protocol to the same fixture server?
 *   npm run bench:probe            (defaults: 500 messages, both vsns)
 *   node bench/probe-broadcast.ts --count 2000
 * Prints p50/p95 ack round trips for both, the ratio, and the probe's throughput.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startRealtimeServer } from '../fixtures/realtime-server/server.ts';
import { probeBroadcast } from '../dist/realtime/probe.js';
import { summarize } from '../dist/realtime/stats.js';
import type { ChannelStats } from '../src/realtime/stats.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, interval: { type: 'string', default: '2' } } });
const COUNT = Number(values.count);
const INTERVAL = Number(values.interval);
const KEY = 'bench-key';

/** One raw socket: join with ack on, then send a broadcast and wait for its phx_reply, one at a time. */
async function rawRoundTrips(url: string, count: number): Promise<number[]> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${KEY}&vsn=2.0.0`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const topic = 'realtime:bench-raw';
  const waiting = new Map<string, () => void>();
  ws.on('message', (data) => {
    const [, ref, , event] = JSON.parse(String(data)) as [string, string, string, string];
    if (event === 'phx_reply') waiting.get(ref)?.();
  });
  const push = (ref: string, event: string, payload: unknown) =>
    new Promise<void>((resolve) => {
      waiting.set(ref, resolve);
      ws.send(JSON.stringify(['1', ref, topic, event, payload]));
    });
  await push('1', 'phx_join', { config: { broadcast: { ack: true, self: false }, presence: { key: '', enabled: false }, postgres_changes: [], private: false } });
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await push(String(i + 2), 'broadcast', { type: 'broadcast', event: 'message:created', payload: { seq: i, sentAt: Date.now() } });
    rtts.push(performance.now() - t0);
    if (INTERVAL) await new Promise((r) => setTimeout(r, INTERVAL));
  }
  ws.close();
  return rtts;
}

const server = await startRealtimeServer({ apiKey: KEY });
try {
  const raw = summarize(await rawRoundTrips(server.url, COUNT))!;
  for (const vsn of ['2.0.0', '1.0.0'] as const) {
    const paced = await probeBroadcast({
      url: server.url, key: KEY, org: 'bench', conv: 'c', count: COUNT, intervalMs: INTERVAL, timeoutMs: 5000, maxLatencyMs: 1000,
      channels: ['conv'], event: 'message:created', private: false, vsn,
    });
    const ack = paced.channels[0]!.ackLatency!;
    const started = performance.now();
    const flood = await probeBroadcast({
      url: server.url, key: KEY, org: 'bench', conv: 'c', count: COUNT * 4, intervalMs: 0, timeoutMs: 10000, maxLatencyMs: 1000,
      channels: ['conv', 'org', 'list'], event: 'message:created', private: false, vsn,
    });
    const seconds = (performance.now() - started) / 1000;
    const delivered = flood.channels.reduce((n: number, c: ChannelStats) => n + c.received, 0);
    console.log(`vsn ${vsn}, ${COUNT} messages paced ${INTERVAL} ms apart`);
    console.log(`  raw ws ack round trip   p50 ${raw.p50.toFixed(2)} ms  p95 ${raw.p95.toFixed(2)} ms`);
    console.log(`  probe ack round trip    p50 ${ack.p50.toFixed(2)} ms  p95 ${ack.p95.toFixed(2)} ms`);
    console.log(`  ratio probe/raw         p50 ${(ack.p50 / raw.p50).toFixed(2)}x  p95 ${(ack.p95 / raw.p95).toFixed(2)}x`);
    console.log(`  probe throughput        ${Math.round(delivered / seconds)} msgs/s delivered (${delivered} over 3 channels unpaced, ${seconds.toFixed(2)} s incl. join and cleanup)`);
  }
} finally {
  await server.close();
}
