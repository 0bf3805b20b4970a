import type { PolicyInfo } from '../../db/catalog.js';
import type { Check, Finding } from '../types.js';
import { guideTables } from './tables.js';

/** splinter lint 0024: a write policy whose expression is literally true lets anyone write any row. */
function alwaysTrue(p: PolicyInfo): string | null {
  const isTrue = (e: string | null) => e !== null && e.trim().replace(/^\((.*)\)$/, '$1').trim() === 'true';
  switch (p.command) {
    case 'INSERT':
      return isTrue(p.check) ? 'WITH CHECK (true)' : null;
    case 'UPDATE':
      // An UPDATE policy without WITH CHECK reuses USING for new rows.
      return isTrue(p.using) || isTrue(p.check) ? `${isTrue(p.using) ? 'USING (true)' : 'WITH CHECK (true)'}` : null;
    case 'DELETE':
      return isTrue(p.using) ? 'USING (true)' : null;
    case 'ALL':
      return isTrue(p.using) || isTrue(p.check) ? 'always true' : null;
    default:
      return null;
  }
}

export const policiesPermissive: Check<'database'> = {
  id: 'policies.permissive',
  section: 'beyond',
  title: 'No always-true write policies for anon or authenticated',
  verifies:
    'Warns (never fails) when an INSERT, UPDATE, DELETE or ALL policy on the guide\'s tables lets anon or authenticated write with an always-true expression.',
  guideRef:
    "Beyond the guide: the guide's realtime_conv_insert / realtime_conv_update are WITH CHECK (true) for anon (splinter lint 0024 rls_policy_always_true)",
  fix: null,
  input: 'database',
  judge(snap, config) {
    const exposed = new Set(['public', config.roles.anon, config.roles.authenticated]);
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      for (const p of g.table?.policies ?? []) {
        const why = p.permissive && p.roles.some((r) => exposed.has(r)) ? alwaysTrue(p) : null;
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
