import type { LogStats } from '../../logs/stats.js';

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
