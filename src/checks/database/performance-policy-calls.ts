import { perRowCalls } from '../../policies/per-row-calls.js';
import type { Check, Finding } from '../types.js';
import { guideTables } from './tables.js';

export const performancePolicyCalls: Check<'database'> = {
  id: 'performance.policy-per-row-calls',
  section: 'performance',
  title: 'RLS policies call current_setting() and auth functions once, not per row',
  verifies:
    "Warns when a policy on the guide's tables calls current_setting(), auth.uid(), auth.jwt(), auth.role() or auth.email() without wrapping it in a scalar subquery of its own (a call inside an EXISTS (… FROM …) subquery counts: that may run per row too): Postgres then evaluates it for every row scanned. Wrapped as (select current_setting(…)) it runs once per statement, with the same meaning.",
  guideRef:
    "Performance Issues → Slow message delivery or high latency: the guide's conversations_select_org calls current_setting() per row (splinter lint 0003 auth_rls_initplan)",
  // ALTER POLICY takes ACCESS EXCLUSIVE on the table and rewrites an expression the app's owners wrote.
  fix: null,
  input: 'database',
  judge(snap, config) {
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      for (const p of g.table?.policies ?? []) {
        const calls = [...new Set([...perRowCalls(p.using), ...perRowCalls(p.check)])];
        if (!calls.length) continue;
        findings.push({
          object: `policy "${p.name}" on ${g.object}`,
          detail: `calls ${calls.join(', ')} per row: wrap ${calls.length === 1 ? 'it' : 'each'} in a subquery, e.g. (select ${calls[0]!.replace('()', '(…)')}), so it runs once per statement`,
        });
      }
    }
    if (findings.length) return { status: 'warn', summary: `${findings.length} polic${findings.length === 1 ? 'y evaluates' : 'ies evaluate'} a setting or auth function per row`, findings };
    return { status: 'pass', summary: "no policy on the guide's tables calls current_setting() or auth functions per row" };
  },
};
