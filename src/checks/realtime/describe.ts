import { formatDuration } from '../../duration.js';
import type { ChannelStats, ConnectOutcome, LatencySummary, ProbeStats } from '../../realtime/stats.js';
import type { Verdict } from '../types.js';

/** Channels where both the sender and the receiver joined: the only ones whose traffic means anything. */
export function joinedChannels(stats: ProbeStats): ChannelStats[] {
  return stats.channels.filter((c) => c.sender.status === 'SUBSCRIBED' && c.receiver.status === 'SUBSCRIBED');
}

/** The connection failure in words a person can act on, or null when the upgrade worked. */
export function connectProblem(stats: ProbeStats): string | null {
  const c: ConnectOutcome = stats.connect;
  if (c.ok) return null;
  if (c.httpStatus === 401 || c.httpStatus === 403) {
    return `wrong key: Realtime refused the WebSocket upgrade with HTTP ${c.httpStatus}; pass the project's anon key (Supabase dashboard → Settings → API) with --key or SUPABASE_ANON_KEY`;
  }
  if (c.httpStatus === 404) return `no Realtime endpoint at ${stats.url} (HTTP 404): --url must be the project URL, e.g. https://PROJECT.supabase.co`;
  if (c.httpStatus) return `Realtime refused the WebSocket upgrade with ${c.message ?? `HTTP ${c.httpStatus}`}`;
  if (c.code === 'ECONNREFUSED') return `nothing listening at ${stats.url}: check --url and that Realtime is running`;
  if (c.code === 'ENOTFOUND' || c.code === 'EAI_AGAIN') return `host not found for ${stats.url}: check --url`;
  if (c.code === 'ETIMEDOUT') return `no answer from ${stats.url} within ${formatDuration(stats.timeoutMs)}: a firewall or a stopped server`;
  return `could not connect to ${stats.url}: ${c.message ?? c.code ?? 'unknown error'}`;
}

/** When the probe never got to judge this check, the verdict that says why (never a pass). */
export function notMeasured(stats: ProbeStats, what: string): Verdict | null {
  if (connectProblem(stats)) return { status: 'skip', summary: `${what} not measured: could not connect (see realtime.join)` };
  if (joinedChannels(stats).length === 0) {
    const why = stats.aborted === 'interrupted' ? 'the probe was interrupted before any channel joined' : 'no channel joined (see realtime.join)';
    return { status: 'skip', summary: `${what} not measured: ${why}` };
  }
  return null;
}

export function ms(v: number): string {
  return `${Math.round(v * 10) / 10} ms`;
}

export function latencyLine(l: LatencySummary | null): string {
  if (!l) return 'none measured';
  return `min ${ms(l.min)}, p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (n=${l.count})`;
}

export function abortNote(stats: ProbeStats): string {
  if (stats.aborted === 'interrupted') return ' (interrupted: partial result)';
  if (stats.aborted === 'deadline') return ' (stopped at the overall deadline: partial result)';
  return '';
}
