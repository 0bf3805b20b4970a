import type { Check, Finding } from '../types.js';
import { pinnedSearchPath, signature } from './functions.js';

export const functionsSearchPath: Check<'database'> = {
  id: 'functions.search-path',
  section: 'beyond',
  title: 'SECURITY DEFINER functions pin search_path',
  verifies: 'Every SECURITY DEFINER function in the configured schema sets search_path, so callers cannot redirect its unqualified names.',
  guideRef:
    "Beyond the guide: the guide's ALTER FUNCTION … SECURITY DEFINER without SET search_path is the unsafe form the Postgres docs warn about (splinter lint 0011)",
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const definers = snap.functions.filter((f) => f.securityDefiner && f.schema === config.schema);
    const findings: Finding[] = definers
      .filter((f) => pinnedSearchPath(f) === null)
      .map((f) => ({
        object: signature(f),
        detail:
          f.name === config.functions.sync
            ? 'no SET search_path (fix-permissions pins it)'
            : `no SET search_path: ALTER FUNCTION ${signature(f)} SET search_path = ${config.schema}, pg_temp;`,
      }));
    if (findings.length) {
      return { status: 'fail', summary: `${findings.length} SECURITY DEFINER function${findings.length === 1 ? '' : 's'} with a mutable search_path`, findings };
    }
    return { status: 'pass', summary: `${definers.length} SECURITY DEFINER function${definers.length === 1 ? '' : 's'} in ${config.schema}, all with a pinned search_path` };
  },
};
