/**
 * The broadcast probe: per channel, a receiver and a sender (two independent supabase-js clients) join,
 * the sender broadcasts numbered messages with ack on, the receiver records what arrives. Everything
 * is bounded by --timeout-ms per wait and an overall deadline, and everything is cleaned up.
 */
import { channelName, guideChannelConfig, type ChannelKind } from './channels.js';
import { probeBindings, type BindingsInput } from './bindings.js';
import { probeExposure } from './exposure.js';
import { createParty, type Party, type PartyOptions } from './party.js';
import { preflight } from './preflight.js';
import { summarize, type ChannelStats, type HeartbeatOutcome, type ProbeStats } from './stats.js';
import { nowMs, sleep, until, within } from './wait.js';

export interface ProbeOptions {
  url: string;
  key: string;
  org: string;
  conv: string;
  count: number;
  intervalMs: number;
  timeoutMs: number;
  maxLatencyMs: number;
  channels: readonly ChannelKind[];
  event: string;
  private: boolean;
  /** A session JWT for the app's side of private channels (the outsider never gets it). */
  accessToken?: string;
  /** Try the channels as an outsider holding only the anon key (default true). */
  exposure?: boolean;
  vsn?: '1.0.0' | '2.0.0';
  /** Default: Node's global WebSocket when there is one, else `ws`. */
  transport?: 'ws' | 'native';
  bindings?: BindingsInput;
  /** Overrides overallDeadlineMs() (tests). */
  deadlineMs?: number;
  /** Ctrl-C: stop sending, clean up, return what was measured. */
  signal?: AbortSignal;
}

export function realtimeSocketUrl(base: string): string {
  const u = new URL('realtime/v1/websocket', base.endsWith('/') ? base : `${base}/`);
  u.protocol = u.protocol.replace(/^http/, 'ws');
  return u.toString();
}

/** The whole probe may take at most this long, whatever the server does. */
export function overallDeadlineMs(o: Pick<ProbeOptions, 'count' | 'intervalMs' | 'timeoutMs'>): number {
  return 5 * o.timeoutMs + o.count * o.intervalMs + 5000;
}

export async function probeBroadcast(opts: ProbeOptions): Promise<ProbeStats> {
  const started = performance.now();
  const vsn = opts.vsn ?? '2.0.0';
  const transport = opts.transport ?? (typeof globalThis.WebSocket === 'function' ? 'native' : 'ws');
  const socketUrl = realtimeSocketUrl(opts.url);
  const stats: ProbeStats = {
    url: socketUrl, vsn, transport, count: opts.count, intervalMs: opts.intervalMs, timeoutMs: opts.timeoutMs,
    maxLatencyMs: opts.maxLatencyMs, event: opts.event, private: opts.private,
    connect: { ok: false }, channels: [], durationMs: 0,
  };
  const names = opts.channels.map((k) => channelName(k, opts.org, opts.conv));
  stats.channels = names.map(emptyChannel);

  // One controller for Ctrl-C and the overall deadline, so every wait below stops on either.
  const stop = new AbortController();
  const onAbort = () => {
    stats.aborted ??= 'interrupted';
    stop.abort();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const deadline = setTimeout(() => {
    stats.aborted ??= 'deadline';
    stop.abort();
  }, opts.deadlineMs ?? overallDeadlineMs(opts));

  const parties: Party[] = [];
  try {
    const target = new URL(socketUrl);
    target.searchParams.set('apikey', opts.key);
    target.searchParams.set('vsn', vsn);
    stats.connect = await preflight(target.toString(), opts.timeoutMs);
    if (!stats.connect.ok || stop.signal.aborted) return stats;

    const partyOpts: PartyOptions = { url: opts.url, key: opts.key, vsn, transport, timeoutMs: opts.timeoutMs, accessToken: opts.accessToken };
    const runs = names.map((name, i) => runChannel(stats.channels[i]!, name, opts, partyOpts, parties, stop.signal));
    if (opts.bindings) runs.push(probeBindings(opts.bindings, partyOpts, parties, stop.signal).then((b) => void (stats.bindings = b)));
    await Promise.all(runs);
    // After the delivery measurements, so the outsider's joins never skew them.
    if (opts.exposure !== false && !stop.signal.aborted) stats.exposure = await probeExposure(opts, partyOpts, parties, stop.signal);
    return stats;
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onAbort);
    await Promise.all(parties.map((p) => p.cleanup().catch(() => {})));
    stats.durationMs = Math.round(performance.now() - started);
  }

  async function runChannel(cs: ChannelStats, name: string, o: ProbeOptions, po: PartyOptions, all: Party[], signal: AbortSignal): Promise<void> {
    const runId = `${process.pid}-${Date.now().toString(36)}`;
    const seen = new Set<number>();
    const deliveries: number[] = [];
    let highest = -1;
    const receiver = await createParty(po, {
      name,
      config: guideChannelConfig(o.private),
      listen: (ch) =>
        ch.on('broadcast', { event: o.event }, (msg: { payload?: { probe?: string; seq?: number; sentAt?: number } }) => {
          const p = msg.payload;
          if (!p || p.probe !== runId || typeof p.seq !== 'number') return; // someone else's traffic
          if (seen.has(p.seq)) {
            cs.duplicated++;
            return;
          }
          seen.add(p.seq);
          cs.received++;
          if (p.seq < highest) cs.outOfOrder++;
          highest = Math.max(highest, p.seq);
          if (typeof p.sentAt === 'number') deliveries.push(nowMs() - p.sentAt);
        }),
    });
    const sender = await createParty(po, { name, config: guideChannelConfig(o.private) });
    all.push(receiver, sender);
    try {
      [cs.receiver, cs.sender] = await Promise.all([receiver.join(signal), sender.join(signal)]);
      if (cs.receiver.status !== 'SUBSCRIBED' || cs.sender.status !== 'SUBSCRIBED' || signal.aborted) return;

      const heartbeats = Promise.all([sender.heartbeat(), receiver.heartbeat()]);
      const acks: number[] = [];
      const sends: Promise<void>[] = [];
      for (let seq = 0; seq < o.count && !signal.aborted; seq++) {
        // realtime-js silently posts to REST when the channel is not joined and still says "ok":
        // count those and never time them.
        const joinedNow = sender.channel.state === 'joined';
        if (!joinedNow) cs.fallbacks++;
        const t0 = performance.now();
        cs.sent++;
        const sending = sender.channel.send({ type: 'broadcast', event: o.event, payload: { probe: runId, seq, sentAt: nowMs() } }, { timeout: o.timeoutMs });
        sends.push(
          sending.then((result) => {
            if (result === 'ok' && joinedNow) {
              cs.acked++;
              acks.push(performance.now() - t0);
            } else if (result === 'timed out') cs.ackTimeouts++;
            else if (result !== 'ok') cs.ackErrors++;
          }),
        );
        if (o.intervalMs > 0) await sleep(o.intervalMs, signal);
        else if (seq % 50 === 49) await sleep(0, signal); // let replies in
      }
      await within(Promise.all(sends), o.timeoutMs + 500, undefined, signal);
      await until(() => cs.received >= cs.sent, o.timeoutMs, signal);
      cs.heartbeat = worse(await within(heartbeats, o.timeoutMs + 1000, [{ status: 'timeout' }, { status: 'timeout' }] as HeartbeatOutcome[], signal));
      cs.ackLatency = summarize(acks);
      cs.deliveryLatency = summarize(deliveries);
    } finally {
      cs.lost = Math.max(0, cs.sent - cs.received);
      // realtime-js's own count catches fallbacks the state check could not see (a drop mid-send).
      cs.fallbacks = Math.max(cs.fallbacks, sender.restFallbacks);
      cs.reconnects = Math.max(0, sender.opens - 1) + Math.max(0, receiver.opens - 1);
    }
  }
}

function worse(h: HeartbeatOutcome[]): HeartbeatOutcome {
  const rank = { ok: 0, 'not-run': 1, error: 2, timeout: 3 } as const;
  const sorted = [...h].sort((a, b) => rank[b.status] - rank[a.status] || (b.roundTripMs ?? 0) - (a.roundTripMs ?? 0));
  return sorted[0] ?? { status: 'not-run' };
}

function emptyChannel(name: string): ChannelStats {
  return {
    name, sender: { status: 'NOT_ATTEMPTED' }, receiver: { status: 'NOT_ATTEMPTED' },
    sent: 0, acked: 0, ackErrors: 0, ackTimeouts: 0, received: 0, lost: 0, duplicated: 0, outOfOrder: 0, fallbacks: 0,
    ackLatency: null, deliveryLatency: null, heartbeat: { status: 'not-run' }, reconnects: 0,
  };
}
