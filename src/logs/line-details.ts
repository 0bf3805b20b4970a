import { scrub } from '../scrub.js';

/**
 * What campfire reads out of a matching line, beyond the match itself. Every function gets the text
 * after the pattern (bounded), never a whole line.
 */

/** "[Realtime] ✅ Broadcast successful: org:{orgId}:conv:{convId} -> message:created" → channel, event. */
export function broadcastTarget(after: string): { channel?: string; event?: string } {
  const m = /^\s*:?\s*(\S+?)\s*->\s*([^\s,;)]+)/.exec(after);
  if (!m) return {};
  return { channel: m[1], event: m[2] };
}

const KEYED = /(?:duration|latency|elapsed|took)[_-]?(ms|millis|milliseconds|s|secs?|seconds)?["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)\s*(ms|milliseconds?|msecs?|s|secs?|seconds?|µs|us)?(?![\w.])/i;
const UNIT = /(?<![\w.:-])(\d+(?:\.\d+)?)\s?(ms|milliseconds?|msecs?|s|secs?|seconds?|µs|us)(?![\w])/i;

/**
 * The duration a "Broadcast result" line reports, in ms: "in 12ms", "12.5 ms", "duration=12ms",
 * "duration: 1.2s", "took 12 ms", "latency_ms=12", "\"durationMs\":12". Undefined when there is none.
 */
export function durationMs(after: string): number | undefined {
  const keyed = KEYED.exec(after);
  if (keyed) return toMs(Number(keyed[2]), keyed[3] ?? keyed[1] ?? 'ms');
  const unit = UNIT.exec(after);
  if (unit) return toMs(Number(unit[1]), unit[2]!);
  return undefined;
}

function toMs(value: number, unit: string): number {
  const u = unit.toLowerCase();
  if (u === 'µs' || u === 'us') return value / 1000;
  if (u.startsWith('s')) return value * 1000;
  return value;
}

/**
 * A sample line as people may see it: valid text, no terminal escapes or control characters, credentials
 * scrubbed, bounded length. Scrubbed before it is cut, so a secret across the cut is masked whole.
 */
export function sampleText(bytes: Buffer, maxChars: number): string {
  const text = scrub(bytes.toString('utf8')).replace(/\s+$/, '');
  const chars = [...text];
  return chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}…` : text;
}
