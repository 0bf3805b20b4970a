import type { ChalkInstance } from 'chalk';
import type { ChannelStats, JoinOutcome, LatencySummary, ProbeStats } from './stats.js';

/** The per-channel measurements as a table, printed above the checklist in the human report. */
export function renderProbeTable(stats: ProbeStats, chalk: ChalkInstance): string {
  if (!stats.connect.ok) return '';
  const head = ['channel', 'join ms (send/recv)', 'sent', 'acked', 'recv', 'lost', 'dup', 'order', 'rest', 'ack p50/p95/p99 ms', 'delivery p50/p95/p99 ms', 'heartbeat', 'reconn'];
  const rows = stats.channels.map((c: ChannelStats) => [
    c.name, `${join(c.sender)}/${join(c.receiver)}`, c.sent, c.acked, c.received, c.lost, c.duplicated, c.outOfOrder, c.fallbacks,
    pct(c.ackLatency), pct(c.deliveryLatency),
    c.heartbeat.status === 'ok' ? `${c.heartbeat.roundTripMs} ms` : c.heartbeat.status, c.reconnects,
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  const meta = `vsn ${stats.vsn}, ${stats.transport} WebSocket, ${stats.count} × "${stats.event}" per channel, ${stats.intervalMs} ms apart${stats.private ? ', private' : ''}; ${stats.durationMs} ms in all`;
  return [chalk.dim(`  ${meta}`), chalk.bold(line(head)), ...rows.map(line)].join('\n');
}

function join(j: JoinOutcome): string {
  return j.status === 'SUBSCRIBED' ? String(j.ms ?? '?') : j.status;
}

function pct(l: LatencySummary | null): string {
  if (!l) return '—';
  const r = (v: number) => (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10);
  return `${r(l.p50)}/${r(l.p95)}/${r(l.p99)}`;
}
