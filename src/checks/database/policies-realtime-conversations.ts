import type { Check, Finding } from '../types.js';
import { hasPolicyFor } from './policies.js';
import { guideTables, missingTable } from './tables.js';

export const policiesRealtimeConversations: Check<'database'> = {
  id: 'policies.realtime-conversations',
  section: 'widget-auth',
  title: 'realtime_conversations has INSERT and UPDATE policies',
  verifies:
    'realtime_conversations has permissive INSERT and UPDATE policies that apply to both anon and authenticated (a policy TO public applies to all).',
  guideRef: 'Widget Authentication Failures → 1. Add Missing RLS Policies',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const g = guideTables(snap, config).find((t) => t.key === 'realtimeConversations')!;
    if (!g.table) return { status: 'fail', summary: `${g.object} ${g.notATable ? `is ${g.notATable}, not a table` : "does not exist"}`, findings: [missingTable(g)] };
    const findings: Finding[] = [];
    for (const command of ['INSERT', 'UPDATE'] as const) {
      const missing = [config.roles.anon, config.roles.authenticated].filter((r) => !hasPolicyFor(g.table!.policies, command, r));
      if (missing.length) findings.push({ object: g.object, detail: `no ${command} policy for ${missing.join(', ')}` });
    }
    if (findings.length) {
      return {
        status: 'fail',
        summary: 'the sync trigger cannot write realtime_conversations for widget visitors ("permission denied" → 500 on /api/widget/auth)',
        findings,
      };
    }
    const names = g.table.policies.filter((p) => p.command !== 'SELECT' && p.command !== 'DELETE').map((p) => p.name);
    return { status: 'pass', summary: `INSERT and UPDATE allowed for anon and authenticated by ${names.join(', ')}` };
  },
};
