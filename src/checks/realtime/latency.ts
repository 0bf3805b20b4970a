import type { Check } from '../types.js';
import { joinedChannels, latencyLine, ms, notMeasured } from './describe.js';

export const realtimeLatency: Check<'realtime'> = {
  id: 'realtime.latency',
  section: 'performance',
  title: 'Broadcast delivery latency',
  verifies: 'The p95 time from send() to the other client receiving the broadcast is under --max-latency-ms (default 1000, the guide\'s "> 1 second" symptom).',
  guideRef: 'Performance Issues → Messages taking >1 second to appear',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const skipped = notMeasured(stats, 'latency');
    if (skipped) return skipped;
    const channels = joinedChannels(stats).filter((c) => c.deliveryLatency);
    if (!channels.length) return { status: 'skip', summary: 'latency not measured: no broadcast was delivered (see realtime.broadcast)' };
    const findings = channels.map((c) => ({
      object: c.name,
      detail: `delivery ${latencyLine(c.deliveryLatency)}; ack ${latencyLine(c.ackLatency)}`,
    }));
    const worst = channels.reduce((a, b) => (b.deliveryLatency!.p95 > a.deliveryLatency!.p95 ? b : a));
    const p95 = worst.deliveryLatency!.p95;
    const ackP95 = Math.max(0, ...channels.map((c) => c.ackLatency?.p95 ?? 0));
    if (p95 > stats.maxLatencyMs) {
      return {
        status: 'fail',
        summary: `delivery p95 ${ms(p95)} on ${worst.name} is over the ${stats.maxLatencyMs} ms limit (ack p95 ${ms(ackP95)})`,
        findings,
        advice: ackP95 < stats.maxLatencyMs
          ? 'The server acknowledges quickly but delivers late: the delay is between Realtime and the receiving client (server load, fan-out, or the receiver\'s network).'
          : 'Both acks and deliveries are slow: the path from the sender to Realtime is slow (region, network, or an overloaded project).',
      };
    }
    return { status: 'pass', summary: `delivery p95 ${ms(p95)} (limit ${stats.maxLatencyMs} ms), ack p95 ${ms(ackP95)}`, findings };
  },
};
