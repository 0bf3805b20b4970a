import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

export const permissionsPolicies: Check<'database'> = {
  id: 'permissions.policies',
  section: 'permissions',
  title: 'Every table has policies',
  verifies: 'conversations, messages and realtime_conversations each have at least one RLS policy.',
  guideRef: 'Database Permission Errors → 2. RLS Policy Issues; Expected Results: "RLS policies exist for all tables"',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const findings: Finding[] = [];
    const counts: string[] = [];
    for (const g of guideTables(snap, config)) {
      if (!g.table) findings.push(missingTable(g.object));
      else if (!g.table.policies.length) {
        findings.push({
          object: g.object,
          detail: g.table.rlsEnabled
            ? 'no policies while RLS is enabled: anon and authenticated can read and write nothing'
            : 'no policies',
        });
      } else counts.push(`${g.table.name} ${g.table.policies.length}`);
    }
    if (findings.length) return { status: 'fail', summary: `${findings.length} table${findings.length === 1 ? '' : 's'} without policies`, findings };
    return { status: 'pass', summary: `policies: ${counts.join(', ')}` };
  },
};
