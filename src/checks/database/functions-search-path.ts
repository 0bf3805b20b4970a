import type { Check, Finding } from '../types.js';
import { kindOf, searchPathProblem, signature } from './functions.js';

export const functionsSearchPath: Check<'database'> = {
  id: 'functions.search-path',
  section: 'beyond',
  title: 'SECURITY DEFINER functions pin a safe search_path',
  verifies:
    "Every SECURITY DEFINER function and procedure in the configured schema sets search_path to '' or to a list ending in pg_temp, so callers cannot redirect its unqualified names (without pg_temp listed, the caller's temporary schema is searched first).",
  guideRef:
    "Beyond the guide: the guide's ALTER FUNCTION … SECURITY DEFINER without SET search_path is the unsafe form the Postgres docs warn about (CREATE FUNCTION, \"Writing SECURITY DEFINER Functions Safely\"; splinter lint 0011)",
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const definers = snap.functions.filter((f) => f.securityDefiner && f.schema === config.schema);
    const findings: Finding[] = [];
    for (const f of definers) {
      const problem = searchPathProblem(f);
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
