import type { Check, Finding } from '../types.js';
import { signature } from './functions.js';

export const functionsDefinerCallable: Check<'database'> = {
  id: 'functions.definer-callable',
  section: 'beyond',
  title: 'No SECURITY DEFINER function anon or authenticated can call',
  verifies:
    "Warns when anon or authenticated hold EXECUTE (directly, through PUBLIC or an inherited role) on a SECURITY DEFINER function in the configured schema: PostgREST exposes it as /rpc/<name>, and it runs with its owner's privileges. Trigger functions (RETURNS trigger: Postgres refuses to call them except as triggers), extension members and procedures (PostgREST does not call them) are not reported.",
  guideRef:
    "Beyond the guide: the guide makes functions SECURITY DEFINER, and new functions in public are executable by anon and authenticated on Supabase (splinter's security_definer_function_executable lints, which also report trigger functions)",
  // Revoking EXECUTE can break an RPC the app calls on purpose: a person decides.
  fix: null,
  input: 'database',
  judge(snap, config) {
    const exposed = [config.roles.anon, config.roles.authenticated];
    const findings: Finding[] = [];
    for (const f of snap.functions.filter((x) => x.securityDefiner && x.schema === config.schema && x.returns !== 'trigger')) {
      const e = snap.functionExposure.find((x) => x.schema === f.schema && x.name === f.name && x.arguments === f.arguments);
      if (!e || e.extension || e.kind === 'p') continue;
      const callers = e.executableBy.filter((r) => exposed.includes(r));
      if (!callers.length) continue;
      findings.push({
        object: signature(f),
        detail: `${callers.join(' and ')} can execute it with ${f.owner}'s privileges: REVOKE EXECUTE ON FUNCTION ${signature(f)} FROM PUBLIC, ${exposed.join(', ')}; (or make it SECURITY INVOKER) unless the app calls it on purpose`,
      });
    }
    if (findings.length) {
      return { status: 'warn', summary: `${findings.length} SECURITY DEFINER function${findings.length === 1 ? '' : 's'} callable through the API`, findings };
    }
    return { status: 'pass', summary: `no SECURITY DEFINER function in ${config.schema} is callable by ${exposed.join(' or ')} (trigger functions excepted)` };
  },
};
