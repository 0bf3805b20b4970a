import type { ChalkInstance } from 'chalk';
import type { ChannelStats, JoinOutcome, LatencySummary, ProbeStats } from './stats.js';

/**
 * The per-channel measurements, printed above the checklist in the human report: a short block per channel
 * rather than one 13-column row, so it fits an 80-column terminal (a row was ~190 columns wide).
 */
export function renderProbeTable(stats: ProbeStats, chalk: ChalkInstance): string {
  if (!stats.connect.ok) return '';
  const lines = [
    chalk.dim(`  ${stats.count} × "${stats.event}" per channel, ${stats.intervalMs} ms apart`),
    chalk.dim(`  vsn ${stats.vsn}, ${stats.transport} WebSocket${stats.private ? ', private channels' : ''}; ${stats.durationMs} ms in all`),
  ];
  for (const c of stats.channels as ChannelStats[]) {
    lines.push(`  ${chalk.bold(c.name)}`);
    const heartbeat = c.heartbeat.status === 'ok' ? `${c.heartbeat.roundTripMs} ms` : c.heartbeat.status;
    lines.push(`    join ${join(c.sender)}/${join(c.receiver)} ms (sender/receiver) · heartbeat ${heartbeat}`);
    lines.push(`    sent ${c.sent} · acked ${c.acked} · received ${c.received} · reconnects ${c.reconnects}`);
    lines.push(`    lost ${c.lost} · duplicated ${c.duplicated} · out of order ${c.outOfOrder} · sent over REST ${c.fallbacks}`);
    lines.push(`    p50/p95/p99 ms: ack ${pct(c.ackLatency)} · delivery ${pct(c.deliveryLatency)}`);
  }
  return lines.join('\n');
}

function join(j: JoinOutcome): string {
  return j.status === 'SUBSCRIBED' ? String(j.ms ?? '?') : j.status;
}

function pct(l: LatencySummary | null): string {
  if (!l) return '—';
  const r = (v: number) => (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10);
  return `${r(l.p50)}/${r(l.p95)}/${r(l.p99)}`;
}
