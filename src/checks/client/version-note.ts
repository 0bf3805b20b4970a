import type { ClientStats } from '../../client/stats.js';
import { compareVersions } from '../../client/version.js';

/**
 * realtime-js ignores a `postgres_changes` binding identical to one already on the channel since 2.112.2
 * (supabase-js PR #2594, "prevent duplicate on bindings", realtime-js CHANGELOG 2.112.2; RealtimeChannel._on
 * logs "duplicate `postgres_changes` binding … ignored"). Before it, the duplicate reached the join and the
 * server's reply, which collapses identical filters, no longer matched the client's list.
 */
export const DEDUPES_SINCE = '2.112.2';

export interface VersionNote {
  /** true: every resolved realtime-js ignores duplicates; false: some copy does not; null: unknown. */
  dedupes: boolean | null;
  text: string;
}

export function versionNote(stats: ClientStats): VersionNote {
  const v = stats.version;
  if (v && v.realtimeJs.length) {
    const oldest = v.realtimeJs[0] as string;
    return {
      dedupes: compareVersions(oldest, DEDUPES_SINCE) >= 0,
      text: `verdicts assume realtime-js ${v.realtimeJs.join(', ')} (from ${v.sources.join(', ')})`,
    };
  }
  const declared = v ? Object.entries(v.declared).map(([p, r]) => `${p} ${r}`).join(', ') : '';
  return {
    dedupes: null,
    text: `realtime-js version unknown (${declared ? `package.json declares ${declared} but no lockfile resolves it` : 'no package.json or lockfile found at or above --src'}): verdicts assume a version before ${DEDUPES_SINCE}`,
  };
}
