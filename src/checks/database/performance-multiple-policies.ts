import { PolicySemantics, type PolicyCommand } from '../../policies/semantics.js';
import type { Check, Finding } from '../types.js';
import { guideTables } from './tables.js';

const COMMANDS: PolicyCommand[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export const performanceMultiplePolicies: Check<'database'> = {
  id: 'performance.multiple-permissive',
  section: 'performance',
  title: 'One permissive policy per role and command',
  verifies:
    "Warns when several permissive policies with an expression for the command apply to anon or authenticated for the same command on one of the guide's tables (FOR ALL counts for every command, TO public and inherited roles count): Postgres evaluates every one of them for every row.",
  guideRef: 'Performance Issues → Slow message delivery or high latency (splinter lint 0006 multiple_permissive_policies)',
  // Merging policies (OR'ing their expressions) changes who may do what only if done wrong: a person merges them.
  fix: null,
  input: 'database',
  judge(snap, config) {
    const sem = new PolicySemantics(snap);
    const roles = [config.roles.anon, config.roles.authenticated];
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      const t = g.table;
      if (!t) continue;
      // Roles with the same overlapping policies share one finding.
      const groups = new Map<string, string[]>();
      for (const command of COMMANDS) {
        for (const role of roles) {
          const many = t.policies.filter((p) => p.permissive && sem.covers(p, command) && sem.appliesTo(p, role) && sem.admission(t, p, command) !== 'none');
          if (many.length < 2) continue;
          const key = `${command}: ${many.map((p) => `"${p.name}"`).join(', ')}`;
          groups.set(key, [...(groups.get(key) ?? []), role]);
        }
      }
      for (const [key, who] of groups) {
        const [command, names] = key.split(': ');
        findings.push({ object: g.object, detail: `${command} for ${who.join(', ')} goes through ${names}: merge them into one policy` });
      }
    }
    if (findings.length) return { status: 'warn', summary: `${findings.length} role/command pair${findings.length === 1 ? '' : 's'} evaluated through several permissive policies`, findings };
    return { status: 'pass', summary: `at most one permissive policy per command for ${roles.join(' and ')} on each table` };
  },
};
