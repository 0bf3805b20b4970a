import { canUse, privilegeAccess } from '../../policies/privileges.js';
import { PolicySemantics, type PolicyCommand } from '../../policies/semantics.js';
import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

/** The guide writes policies for two of its tables only; messages needs one the app's owners decide. */
export const POLICY_DECISION =
  "fix-permissions adds the guide's policies (realtime_conversations INSERT/UPDATE, conversations SELECT) " +
  'and enables row level security only where every command anon/authenticated are granted has a policy, ' +
  'so the app is never locked out. The guide gives no policy for messages: write one scoped to the ' +
  "visitor's organization (e.g. USING (organization_id::text = (select current_setting('app.current_organization_id', true)))), " +
  'then run fix-permissions again.';

const COMMANDS: PolicyCommand[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export const permissionsPolicies: Check<'database'> = {
  id: 'permissions.policies',
  section: 'permissions',
  title: 'Every table has policies for the app',
  verifies:
    "conversations, messages and realtime_conversations each have a policy that lets anon and authenticated do at least one command they are granted (judged as if row level security were on, as the guide requires): a policy only for service_role (which bypasses RLS) or for unrelated roles, one with no USING/WITH CHECK, or one Postgres folds to false is not a policy for the app. The summary says, per table, which granted commands policies allow and which RLS refuses.",
  guideRef: 'Database Permission Errors → 2. RLS Policy Issues; Expected Results: "RLS policies exist for all tables"',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const sem = new PolicySemantics(snap);
    const roles = [config.roles.anon, config.roles.authenticated].filter((r) => snap.roles.some((x) => x.name === r));
    const findings: Finding[] = [];
    const notes: string[] = [];
    for (const g of guideTables(snap, config)) {
      if (!g.table) {
        findings.push(missingTable(g));
        continue;
      }
      // The guide enables RLS everywhere: judge the policies as they will act then.
      const t = { ...g.table, rlsEnabled: true };
      const off = g.table.rlsEnabled ? '' : ' (row level security is disabled: this is what happens once it is enabled)';
      // Roles allowed the same commands share one entry: "anon, authenticated SELECT/INSERT (…)".
      const lines = new Map<string, string[]>();
      // Roles refused for the same reason share one finding.
      const refusedAll = new Map<string, string[]>();
      for (const role of roles) {
        const granted = COMMANDS.filter((c) => canUse(privilegeAccess(snap, g.table!, role, c)));
        if (!granted.length) continue;
        const allowed = granted.filter((c) => sem.rowSecurity(t, role, c).allowed);
        const refused = granted.filter((c) => !allowed.includes(c));
        if (!allowed.length) {
          const only = g.table.policies.length
            ? `no applicable policy admits any of them (${g.table.policies.map((p) => `"${p.name}" ${p.permissive ? '' : 'restrictive '}${p.command} TO ${p.roles.join(', ')}`).join('; ')})`
            : 'the table has no policies';
          const key = `is granted ${granted.join(', ')}, but ${only}${off}`;
          refusedAll.set(key, [...(refusedAll.get(key) ?? []), role]);
        } else {
          const what = `${allowed.join('/')}${refused.length ? ` (${refused.join('/')} granted, refused by RLS)` : ''}`;
          lines.set(what, [...(lines.get(what) ?? []), role]);
        }
      }
      for (const [key, who] of refusedAll) {
        findings.push({ object: g.object, detail: `${who.join(', ')} ${key.replace(/^is /, who.length > 1 ? 'are ' : 'is ')}` });
      }
      if (lines.size) notes.push(`${g.table.name}: ${[...lines].map(([what, who]) => `${who.join(', ')} ${what}`).join(', and ')}`);
    }
    if (findings.length) {
      const tables = new Set(findings.map((f) => f.object)).size;
      return { status: 'fail', summary: `${tables} table${tables === 1 ? '' : 's'} without a policy for the app`, findings, advice: POLICY_DECISION };
    }
    return { status: 'pass', summary: `policies allow: ${notes.join('; ') || 'nothing is granted to anon or authenticated'}` };
  },
};
