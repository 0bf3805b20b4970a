import type { PolicyInfo, TableInfo } from '../../db/catalog.js';
import { PolicySemantics } from '../../policies/semantics.js';
import type { Check, Finding } from '../types.js';
import { guideTables } from './tables.js';

/**
 * splinter lint 0024, made exact: a write policy whose expression Postgres folds to constant true
 * (`true`, `(1 = 1)`, `'t'::boolean`, `true OR …`) lets anyone write any row. Which expression counts
 * follows row security: INSERT's WITH CHECK, UPDATE's USING or its check, DELETE's USING.
 */
function alwaysTrue(sem: PolicySemantics, t: TableInfo, p: PolicyInfo): string | null {
  const parts: string[] = [];
  const show = (which: 'using' | 'check') => `${which === 'using' ? 'USING' : 'WITH CHECK'} (${p[which]})${/^\(*true\)*$/.test(p[which]!) ? '' : ' (folds to true)'}`;
  const check = p.check !== null ? 'check' : 'using';
  for (const cmd of ['INSERT', 'UPDATE', 'DELETE'] as const) {
    if (!sem.covers(p, cmd)) continue;
    if (cmd !== 'INSERT' && sem.part(t, p, 'using') === 'all') parts.push(`${cmd} ${show('using')}`);
    else if (cmd !== 'DELETE' && sem.part(t, p, 'check') === 'all') parts.push(`${cmd} ${show(check)}`);
  }
  return parts.length ? parts.join(', ') : null;
}

export const policiesPermissive: Check<'database'> = {
  id: 'policies.permissive',
  section: 'beyond',
  title: 'No always-true write policies for anon or authenticated',
  verifies:
    "Warns (never fails) when an INSERT, UPDATE, DELETE or ALL policy on the guide's tables that applies to anon or authenticated has a write expression Postgres folds to constant true (`true`, `(1 = 1)`, `'t'::boolean`, `true OR …`).",
  guideRef:
    "Beyond the guide: the guide's realtime_conv_insert / realtime_conv_update are WITH CHECK (true) for anon (splinter lint 0024 rls_policy_always_true)",
  fix: null,
  input: 'database',
  judge(snap, config) {
    const sem = new PolicySemantics(snap);
    const exposed = [config.roles.anon, config.roles.authenticated];
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      for (const p of g.table?.policies ?? []) {
        const why = p.permissive && exposed.some((r) => sem.appliesTo(p, r)) ? alwaysTrue(sem, g.table!, p) : null;
        if (why) findings.push({ object: `policy "${p.name}" on ${g.object}`, detail: `${p.command} for ${p.roles.join(', ')} is ${why}: any visitor can write any row` });
      }
    }
    if (findings.length) {
      return {
        status: 'warn',
        summary: `${findings.length} always-true write polic${findings.length === 1 ? 'y' : 'ies'}; tighten ${findings.length === 1 ? 'it' : 'them'} to the rows a visitor owns`,
        findings,
      };
    }
    return { status: 'pass', summary: 'no always-true write policies for anon or authenticated' };
  },
};
