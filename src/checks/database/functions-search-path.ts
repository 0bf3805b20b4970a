import type { Check, Finding } from '../types.js';
import type { FunctionInfo } from '../../db/catalog.js';
import { kindOf, pinnedSearchPath, searchPathProblem, signature } from './functions.js';

/**
 * search_path = '' is safe only for a body that schema-qualifies every table: Postgres still searches the
 * caller's temporary schema first for an unqualified relation name when pg_temp is not listed (verified:
 * a temp table named like the target received the SECURITY DEFINER function's insert). The guide's sync
 * function inserts into realtime_conversations unqualified, so '' both breaks it ("relation does not
 * exist") and leaves it open to that temp table.
 */
function emptyPathOnSync(f: FunctionInfo, target: string): string | null {
  const pinned = pinnedSearchPath(f);
  if (pinned !== '""') return null;
  return `search_path = '' with the guide's unqualified insert into ${target}: it fails with "relation does not exist", and a caller's temp table named ${target} would receive the write (pg_temp is searched first when not listed)`;
}

export const functionsSearchPath: Check<'database'> = {
  id: 'functions.search-path',
  section: 'beyond',
  title: 'SECURITY DEFINER functions pin a safe search_path',
  verifies:
    "Every SECURITY DEFINER function and procedure in the configured schema sets search_path to a list ending in pg_temp, or to '' (safe only when the body schema-qualifies its tables, so not for the guide's sync function), so callers cannot redirect its unqualified names: without pg_temp listed, the caller's temporary schema is searched first for tables.",
  guideRef:
    "Beyond the guide: the guide's ALTER FUNCTION … SECURITY DEFINER without SET search_path is the unsafe form the Postgres docs warn about (CREATE FUNCTION, \"Writing SECURITY DEFINER Functions Safely\"; splinter lint 0011)",
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const definers = snap.functions.filter((f) => f.securityDefiner && f.schema === config.schema);
    const findings: Finding[] = [];
    for (const f of definers) {
      const problem = searchPathProblem(f) ?? (f.name === config.functions.sync ? emptyPathOnSync(f, config.tables.realtimeConversations) : null);
      if (!problem) continue;
      const kind = kindOf(snap, f) === 'p' ? 'PROCEDURE' : 'FUNCTION';
      findings.push({
        object: signature(f),
        detail:
          f.name === config.functions.sync
            ? `${problem} (fix-permissions pins it to ${config.schema}, pg_temp)`
            : `${problem}: ALTER ${kind} ${signature(f)} SET search_path = ${config.schema}, pg_temp;`,
      });
    }
    if (findings.length) {
      return { status: 'fail', summary: `${findings.length} SECURITY DEFINER function${findings.length === 1 ? '' : 's'} with an unsafe search_path`, findings };
    }
    return { status: 'pass', summary: `${definers.length} SECURITY DEFINER function${definers.length === 1 ? '' : 's'} in ${config.schema}, all with a safe search_path ('' or pg_temp last)` };
  },
};
