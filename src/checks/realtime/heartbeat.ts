import type { Check, Finding } from '../types.js';
import { joinedChannels, ms, notMeasured } from './describe.js';
import { plural } from '../../plural.js';
import { formatDuration } from '../../duration.js';

export const realtimeHeartbeat: Check<'realtime'> = {
  id: 'realtime.heartbeat',
  section: 'connection',
  title: 'Heartbeats are answered and the socket stays up',
  verifies: "Every client's heartbeat (topic phoenix) is answered within the probe's --timeout (default 5s) and no socket reconnects during the probe.",
  guideRef: 'Channel Connection Problems → Heartbeat timeouts / Frequent reconnection attempts',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const skipped = notMeasured(stats, 'heartbeat');
    if (skipped) return skipped;
    const channels = joinedChannels(stats);
    const findings: Finding[] = [];
    let timeouts = 0;
    let reconnects = 0;
    let worst = 0;
    for (const c of channels) {
      const h = c.heartbeat;
      reconnects += c.reconnects;
      if (h.status === 'timeout' || h.status === 'error') timeouts++;
      if (h.roundTripMs !== undefined) worst = Math.max(worst, h.roundTripMs);
      const hb = h.status === 'ok' ? `heartbeat round trip ${ms(h.roundTripMs ?? 0)}` : h.status === 'timeout' ? `heartbeat timeout: no reply within ${formatDuration(stats.timeoutMs)}` : `heartbeat ${h.status}`;
      findings.push({ object: c.name, detail: `${hb}; ${c.reconnects} reconnect${c.reconnects === 1 ? '' : 's'}` });
    }
    if (timeouts) {
      return {
        status: 'fail',
        summary: `heartbeat timeout on ${timeouts} of ${plural(channels.length, 'channel')}: the server did not answer within ${formatDuration(stats.timeoutMs)}, so realtime-js closes the socket and reconnects`,
        findings,
      };
    }
    if (reconnects) {
      return {
        status: 'fail',
        summary: `the socket dropped and reconnected ${reconnects} time${reconnects === 1 ? '' : 's'} during the probe: channels went through CHANNEL_ERROR and rejoined`,
        findings,
      };
    }
    if (channels.every((c) => c.heartbeat.status === 'not-run')) return { status: 'skip', summary: 'heartbeat not measured (probe stopped first)', findings };
    return { status: 'pass', summary: `heartbeats answered (slowest round trip ${ms(worst)}), no reconnects`, findings };
  },
};
