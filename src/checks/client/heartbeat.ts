import type { TimingSetting } from '../../client/stats.js';
import type { Check, Finding } from '../types.js';
import { codeFinding, plural, unparsedNote } from './finding.js';

/** The guide's heartbeat (Channel Connection Problems → Configure Heartbeat and Reconnection), and realtime-js's default. */
export const MAX_HEARTBEAT_MS = 25_000;

/** The guide's reconnect ceiling: `Math.min(1000 * Math.pow(2, tries), 10000)`. */
export const GUIDE_BACKOFF_CEILING_MS = 10_000;

function judgeSetting(s: TimingSetting): { level: 'fail' | 'warn'; detail: string } | null {
  const v = s.value;
  if (s.key === 'eventsPerSecond') return null; // client.reuse judges it
  if (s.where === 'channel') {
    return { level: 'warn', detail: `${s.key} inside a channel's config is not read by realtime-js: set ${s.key === 'rejoinAfterMs' ? 'reconnectAfterMs' : s.key} in createClient(url, key, { realtime: { … } })` };
  }
  if (s.key === 'heartbeatIntervalMs') {
    if (v.kind === 'number') return v.ms > MAX_HEARTBEAT_MS ? { level: 'fail', detail: `heartbeatIntervalMs is ${v.ms} ms, above the guide's ${MAX_HEARTBEAT_MS} ms` } : null;
    return { level: 'warn', detail: 'heartbeatIntervalMs is not a constant: cannot tell whether it is ≤ 25000 ms' };
  }
  // reconnectAfterMs / rejoinAfterMs: a back-off must have a ceiling.
  if (v.kind === 'number') return null;
  if (v.kind === 'function') {
    if (v.bound !== null) {
      return v.bound > GUIDE_BACKOFF_CEILING_MS
        ? { level: 'warn', detail: `${s.key} is capped at ${v.bound} ms, above the guide's ${GUIDE_BACKOFF_CEILING_MS} ms: after an outage clients wait up to ${Math.round(v.bound / 1000)} s to come back` }
        : null;
    }
    if (v.grows) return { level: 'fail', detail: `${s.key} grows with the attempt number and has no ceiling: clamp it, e.g. tries => Math.min(1000 * 2 ** tries, 10000)` };
    return { level: 'warn', detail: `${s.key} is not clamped by Math.min(…, constant): cannot tell whether it is bounded` };
  }
  return { level: 'warn', detail: `${s.key} is not a literal function or number: cannot tell whether it is bounded` };
}

export const clientHeartbeat: Check<'client'> = {
  id: 'client.heartbeat',
  section: 'connection',
  title: 'Heartbeat and reconnect back-off',
  verifies: `Where the client sets heartbeatIntervalMs it is ≤ ${MAX_HEARTBEAT_MS} ms, and reconnect back-off (reconnectAfterMs / rejoinAfterMs) is bounded, by at most the guide's ${GUIDE_BACKOFF_CEILING_MS} ms.`,
  guideRef: 'Channel Connection Problems → Configure Heartbeat and Reconnection',
  fix: null,
  input: 'client',
  judge(stats) {
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const timings = stats.timings.filter((t) => t.key !== 'eventsPerSecond');
    const ceilings = timings.flatMap((t) => (t.value.kind === 'function' && t.value.bound !== null ? [`${t.key} ≤ ${t.value.bound} ms (${t.at.file}:${t.at.line})`] : []));
    for (const s of timings) {
      const verdict = judgeSetting(s);
      if (verdict) (verdict.level === 'fail' ? failures : warnings).push(codeFinding(s.at, verdict.detail, verdict.level));
    }
    const note = unparsedNote(stats);
    const advice = `realtime-js sends a heartbeat every heartbeatIntervalMs (default ${MAX_HEARTBEAT_MS} ms) and reconnects when a reply is missing by the next tick; heartbeatIntervalMs and reconnectAfterMs are RealtimeClient options (createClient's realtime options), not channel config keys. An unbounded back-off leaves clients waiting minutes after a short outage.`;
    if (failures.length) {
      return { status: 'fail', summary: `${plural(failures.length, 'setting')} out of bounds${note}`, findings: [...failures, ...warnings], advice };
    }
    if (warnings.length) return { status: 'warn', summary: `${plural(warnings.length, 'setting')} that may not take effect or cannot be judged${note}`, findings: warnings, advice };
    return {
      status: 'pass',
      summary: timings.length
        ? `${plural(timings.length, 'heartbeat/back-off setting')} within bounds${ceilings.length ? `; back-off ceiling ${ceilings.join(', ')}` : ''}${note}`
        : `no heartbeat or back-off settings: realtime-js defaults apply (${MAX_HEARTBEAT_MS} ms heartbeat, bounded back-off)${note}`,
    };
  },
};
