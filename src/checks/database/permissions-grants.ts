import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

export const GUIDE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE'] as const;

export const permissionsGrants: Check<'database'> = {
  id: 'permissions.grants',
  section: 'permissions',
  title: 'Roles have SELECT, INSERT, UPDATE on the tables',
  verifies: 'anon, authenticated and service_role each hold SELECT, INSERT and UPDATE on the three tables (directly, through PUBLIC or a granted role).',
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
        const missing = GUIDE_PRIVILEGES.filter(
          (priv) => !g.table!.privileges.some((p) => p.role === role && p.privilege === priv && p.granted),
        );
        if (missing.length) findings.push({ object: g.object, detail: `${role} lacks ${missing.join(', ')}` });
      }
    }
    if (findings.length) return { status: 'fail', summary: `${findings.length} missing grant${findings.length === 1 ? '' : 's'} ("permission denied for table …")`, findings };
    return { status: 'pass', summary: `${roles.join(', ')} hold ${GUIDE_PRIVILEGES.join(', ')} on all 3 tables` };
  },
};
