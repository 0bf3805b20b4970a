import { scrub } from '../../scrub.js';
import type { Check, Finding, Verdict } from '../types.js';
import { judgedOnPartialRead, readProblems, scope, type LogsInput } from './input.js';

export const logsBroadcastLatency: Check<'logs'> = {
  id: 'logs.broadcast-latency',
  section: 'performance',
  title: 'Broadcast timing in the server logs',
  verifies: 'The durations on "Broadcast result" lines ("in 12ms", "12.5 ms", "duration=12ms", …) have a p95 at or under --max-latency-ms (default 1000).',
  guideRef: 'Performance Issues → 2. Check Broadcast Event Timing',
  fix: null,
  input: 'logs',
  judge(logs: LogsInput) {
    return judgedOnPartialRead(logs, judgeRead(logs));
  },
};

function judgeRead(logs: LogsInput): Verdict {
  const r = logs.broadcastResult;
  const findings: Finding[] = readProblems(logs);
  const l = r.latency;
  if (!l) {
    for (const s of r.samplesWithoutDuration) findings.push({ object: s.file, detail: `no duration recognised: ${scrub(s.text)}` });
    const why = r.count === 0 ? 'no "Broadcast result" lines' : `${r.count} "Broadcast result" line${r.count === 1 ? '' : 's'} but none with a duration`;
    return { status: 'skip', summary: `${why} ${scope(logs)}: nothing to time`, findings };
  }
  const approx = l.approximate ? '≈' : '';
  const numbers = `p50 ${approx}${l.p50} ms, p95 ${approx}${l.p95} ms, p99 ${approx}${l.p99} ms, max ${l.max} ms over ${l.count} broadcast${l.count === 1 ? '' : 's'}`;
  if (r.withoutDuration) findings.push({ object: 'Broadcast result lines', detail: `${r.withoutDuration} without a recognisable duration were not timed` });
  if (l.p95 > logs.maxLatencyMs) {
    return {
      status: 'fail',
      summary: `broadcasts are slow: ${numbers} (limit ${logs.maxLatencyMs} ms at p95)`,
      findings,
      advice: "The guide's optimisations: broadcast only to the channels a subscriber needs, keep payloads small, reuse one Supabase client.",
    };
  }
  return { status: 'pass', summary: `${numbers} ${scope(logs)}`, findings };
}
