import { PolicySemantics, type PolicyCommand } from '../../policies/semantics.js';
import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

/**
 * The sync trigger writes realtime_conversations with INSERT … ON CONFLICT DO UPDATE: Postgres checks
 * the INSERT policies' WITH CHECK, the UPDATE policies' USING and WITH CHECK, and SELECT visibility of
 * the rows (PostgreSQL docs, CREATE POLICY, "Policies Applied by Command Type").
 */
const SYNC_COMMANDS: PolicyCommand[] = ['INSERT', 'UPDATE', 'SELECT'];

export const policiesRealtimeConversations: Check<'database'> = {
  id: 'policies.realtime-conversations',
  section: 'widget-auth',
  title: 'realtime_conversations policies let the sync trigger write',
  verifies:
    "Row level security lets anon and authenticated run the sync trigger's INSERT … ON CONFLICT DO UPDATE on realtime_conversations: a permissive policy that applies to the role (TO it, TO public, or TO a role it inherits) admits new rows for INSERT, rows and new rows for UPDATE, and rows for SELECT. A policy with no USING/WITH CHECK, or one Postgres folds to false, admits nothing; restrictive policies never grant.",
  guideRef: 'Widget Authentication Failures → 1. Add Missing RLS Policies',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const g = guideTables(snap, config).find((t) => t.key === 'realtimeConversations')!;
    if (!g.table) return { status: 'fail', summary: `${g.object} ${g.notATable ? `is ${g.notATable}, not a table` : "does not exist"}`, findings: [missingTable(g)] };
    const t = g.table;
    const sem = new PolicySemantics(snap);
    const roles = [config.roles.anon, config.roles.authenticated].filter((r) => snap.roles.some((x) => x.name === r));
    if (!roles.length) return { status: 'skip', summary: 'neither anon nor authenticated exists (see permissions.grants)' };
    const findings: Finding[] = [];
    const grantedBy = new Set<string>();
    for (const command of SYNC_COMMANDS) {
      // Group roles refused for the same reason into one finding.
      const refused = new Map<string, string[]>();
      for (const role of roles) {
        const v = sem.rowSecurity(t, role, command);
        v.grantedBy.forEach((n) => grantedBy.add(n));
        if (!v.allowed) refused.set(v.reason, [...(refused.get(v.reason) ?? []), role]);
      }
      for (const [reason, who] of refused) {
        const note = command === 'SELECT' ? " (the sync trigger's INSERT … ON CONFLICT DO UPDATE needs SELECT visibility)" : '';
        findings.push({ object: g.object, detail: `${command} refused for ${who.join(', ')}: ${reason}${note}` });
      }
    }
    if (findings.length) {
      return {
        status: 'fail',
        summary: 'the sync trigger cannot write realtime_conversations for widget visitors ("new row violates row-level security policy" → 500 on /api/widget/auth)',
        findings,
      };
    }
    const skip = roles.map((r) => sem.bypass(t, r)).find((b) => b !== null);
    if (skip && !grantedBy.size) return { status: 'pass', summary: `no policy needed: ${skip}` };
    return { status: 'pass', summary: `INSERT, UPDATE and SELECT allowed for ${roles.join(', ')} by ${[...grantedBy].join(', ')}` };
  },
};
