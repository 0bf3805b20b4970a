import { UsageError } from './errors.js';

/** "10s", "500ms", "2m" or a bare number of milliseconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${flag} must be a duration like 500ms, 10s or 2m (got "${text}").`);
  const value = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms' | 's' | 'm']);
  if (value <= 0 || value > 3_600_000) throw new UsageError(`${flag} must be between 1ms and 1h (got "${text}").`);
  return Math.round(value);
}
