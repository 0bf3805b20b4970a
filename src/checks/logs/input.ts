import type { LogStats } from '../../logs/stats.js';
import type { Verdict } from '../types.js';

/**
 * What the logs.* checks judge: the scan's counts plus the one latency limit (--max-latency-ms) that every
 * latency check of a run shares.
 */
export interface LogsInput extends LogStats {
  maxLatencyMs: number;
}

/** "in 2 files, since 2026-11-25T23:00:00.000Z" — the window a logs verdict speaks about. */
export function scope(logs: LogStats): string {
  const files = logs.files.length === 1 ? logs.files[0]!.name : `${logs.files.length} files`;
  return `in ${files}${logs.since ? ` since ${logs.since}` : ''}`;
}

/** Files that broke off midway: their counts are partial, which every logs check says. */
export function readProblems(logs: LogStats): { object: string; detail: string }[] {
  return logs.files.filter((f) => f.error).map((f) => ({ object: f.name, detail: f.error! }));
}

/**
 * A log that could not be read to the end (truncated or corrupt gzip, an I/O error) holds lines campfire
 * never saw: a "mismatch" line may be in the part that was lost, and "no Broadcast successful lines" may
 * be only the part that was read. So every logs check says 'error', which fails the gate (exit 1) in every
 * output format, and keeps what the part it read showed in its summary.
 */
export function judgedOnPartialRead(logs: LogStats, verdict: Verdict): Verdict {
  const broken = logs.files.filter((f) => f.error);
  if (!broken.length) return verdict;
  const which = broken.length === 1 ? broken[0]!.name : `${broken.length} log files`;
  return {
    ...verdict,
    status: 'error',
    summary: `${which} could not be read completely, so this cannot be judged (from what was read: ${verdict.summary})`,
    advice: `${broken.map((f) => `${f.name}: ${f.error}`).join('; ')}. Give the complete log (re-copy or re-download it; gzip -t FILE tests a .gz) and run again.`,
  };
}
