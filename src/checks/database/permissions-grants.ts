import { describeColumnAccess, privilegeAccess } from '../../policies/privileges.js';
import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

export const GUIDE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE'] as const;

export const permissionsGrants: Check<'database'> = {
  id: 'permissions.grants',
  section: 'permissions',
  title: 'Roles have SELECT, INSERT, UPDATE on the tables',
  verifies:
    'anon, authenticated and service_role each hold SELECT, INSERT and UPDATE on the three tables (directly, through PUBLIC or a granted role). Holding one only through column grants on every column works today and warns (a column added later is not covered); column grants on some columns fail.',
  guideRef: 'Database Permission Errors → 1. Missing Table Permissions',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const findings: Finding[] = [];
    const roles = Object.values(config.roles);
    const existing = new Set(snap.roles.map((r) => r.name));
    for (const role of roles.filter((r) => !existing.has(r))) {
      findings.push({ object: `role ${role}`, detail: 'role does not exist: is this a Supabase database? (configure roles in campfire.config.json)' });
    }
    for (const g of guideTables(snap, config)) {
      if (!g.table) {
        findings.push(missingTable(g));
        continue;
      }
      for (const role of roles.filter((r) => existing.has(r))) {
        const missing: string[] = [];
        for (const priv of GUIDE_PRIVILEGES) {
          const access = privilegeAccess(snap, g.table, role, priv);
          if (access.kind === 'table') continue;
          if (access.kind === 'columns') {
            // Column grants on every column let every statement through today: a warning, not a failure.
            const full = access.columns === access.total;
            findings.push({ object: g.object, detail: `${role}: ${describeColumnAccess(priv, access)}`, ...(full ? { severity: 'warn' as const } : {}) });
          } else missing.push(priv);
        }
        if (missing.length) findings.push({ object: g.object, detail: `${role} lacks ${missing.join(', ')}` });
      }
    }
    const failing = findings.filter((f) => f.severity !== 'warn');
    if (failing.length) return { status: 'fail', summary: `${failing.length} missing grant${failing.length === 1 ? '' : 's'} ("permission denied for table …")`, findings };
    if (findings.length) return { status: 'warn', summary: `${findings.length} privilege${findings.length === 1 ? '' : 's'} held only through column grants (a column added later is not covered)`, findings };
    return { status: 'pass', summary: `${roles.join(', ')} hold ${GUIDE_PRIVILEGES.join(', ')} on all 3 tables` };
  },
};
