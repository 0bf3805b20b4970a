import type { Check, Finding } from '../types.js';
import { POLICY_DECISION } from './permissions-policies.js';
import { guideTables, missingTable } from './tables.js';

export const permissionsRlsEnabled: Check<'database'> = {
  id: 'permissions.rls-enabled',
  section: 'permissions',
  title: 'Row level security is enabled',
  verifies: 'Row level security is enabled on conversations, messages and realtime_conversations.',
  guideRef: 'Database Permission Errors → 2. RLS Policy Issues (pg_tables.rowsecurity)',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      if (!g.table) findings.push(missingTable(g));
      else if (!g.table.rlsEnabled) findings.push({ object: g.object, detail: 'row level security is disabled: anon and authenticated see every row their grants allow' });
    }
    if (findings.length) return { status: 'fail', summary: `${findings.length} table${findings.length === 1 ? '' : 's'} without row level security`, findings, advice: POLICY_DECISION };
    return { status: 'pass', summary: 'row level security is enabled on all 3 tables' };
  },
};
