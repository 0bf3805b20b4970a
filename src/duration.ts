import { UsageError } from './errors.js';

/** "10s", "500ms", "2m" or a bare number of milliseconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${flag} must be a duration like 500ms, 10s or 2m (got "${text}").`);
  const value = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms' | 's' | 'm']);
  if (value <= 0 || value > 3_600_000) throw new UsageError(`${flag} must be between 1ms and 1h (got "${text}").`);
  return Math.round(value);
}

/** Milliseconds as a person writes them: 120000 → "2m", 5000 → "5s", 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
