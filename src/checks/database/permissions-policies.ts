import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

/** The guide writes policies for two of its tables only; messages needs one the app's owners decide. */
export const POLICY_DECISION =
  "fix-permissions adds the guide's policies (realtime_conversations INSERT/UPDATE, conversations SELECT) " +
  'and enables row level security only where every command anon/authenticated are granted has a policy, ' +
  'so the app is never locked out. The guide gives no policy for messages: write one scoped to the ' +
  "visitor's organization (e.g. USING (organization_id::text = current_setting('app.current_organization_id', true))), " +
  'then run fix-permissions again.';

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
      if (!g.table) findings.push(missingTable(g));
      else if (!g.table.policies.length) {
        findings.push({
          object: g.object,
          detail: g.table.rlsEnabled
            ? 'no policies while RLS is enabled: anon and authenticated can read and write nothing'
            : 'no policies',
        });
      } else counts.push(`${g.table.name} ${g.table.policies.length}`);
    }
    if (findings.length) return { status: 'fail', summary: `${findings.length} table${findings.length === 1 ? '' : 's'} without policies`, findings, advice: POLICY_DECISION };
    return { status: 'pass', summary: `policies: ${counts.join(', ')}` };
  },
};
