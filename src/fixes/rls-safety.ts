import type { CatalogSnapshot, PolicyInfo, TableInfo } from '../db/catalog.js';
import { PolicySemantics } from '../policies/semantics.js';

type Cmd = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const CMDS: Cmd[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** The settings the app sets on every request before it queries (the guide's app; fixtures/app/server.mjs). */
export const APP_SETTINGS = ['app.current_organization_id'];

/** "anon INSERT" for every command each role can run on the table today (table- or column-level grant). */
export function workingCommands(snap: CatalogSnapshot, t: TableInfo): { role: string; cmd: Cmd; bypasses: boolean }[] {
  const facts = snap.tableSafety?.find((s) => s.schema === t.schema && s.name === t.name);
  const out = new Map<string, { role: string; cmd: Cmd; bypasses: boolean }>();
  for (const g of facts?.grantees ?? []) {
    const bypasses = g.superuser || g.bypassRls || g.ownsTable;
    for (const p of g.privileges) {
      const cmd = p.split(' ')[0] as Cmd;
      if (CMDS.includes(cmd)) out.set(`${g.role}:${cmd}`, { role: g.role, cmd, bypasses });
    }
  }
  // has_table_privilege also sees privileges inherited through role membership.
  for (const p of t.privileges.filter((x) => x.granted)) {
    const info = snap.roles.find((r) => r.name === p.role);
    if (!out.has(`${p.role}:${p.privilege}`)) out.set(`${p.role}:${p.privilege}`, { role: p.role, cmd: p.privilege, bypasses: Boolean(info?.superuser || info?.bypassRls) });
  }
  return [...out.values()];
}

/**
 * The settings a policy reads: current_setting('…') directly, and Supabase's auth.uid()/auth.jwt()/
 * auth.role()/auth.email(), which read the request.jwt.claim(s) settings PostgREST sets per request
 * (supabase/postgres: migrations, auth schema). An app that connects directly sets none of them.
 */
function settingsIn(p: PolicyInfo): string[] {
  const text = `${p.using ?? ''} ${p.check ?? ''}`;
  const direct = [...text.matchAll(/current_setting\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const viaAuth = [...text.matchAll(/\bauth\.(uid|jwt|role|email)\(\)/g)].map((m) => `request.jwt.claims (auth.${m[1]}())`);
  return [...direct, ...viaAuth];
}

/**
 * What enabling row level security on `t` would stop that works today (RLS off: no policy applies yet).
 * A role that is neither the table's owner, superuser nor BYPASSRLS needs a permissive policy for each
 * command it runs; a RESTRICTIVE policy keyed on a setting the app never sets refuses every row
 * (current_setting(…, true) is then NULL). Null when the snapshot lacks the facts: then nobody can say.
 */
export function rlsLockouts(snap: CatalogSnapshot, t: TableInfo, policies: PolicyInfo[]): string[] | null {
  if (!snap.tableSafety) return null;
  const out: string[] = [];
  // The table as the plan would leave it — RLS on, with its policies — judged by the same rules as doctor's
  // policy checks (applicable roles and inheritance, expressions that admit nothing, RESTRICTIVE on top).
  const sem = new PolicySemantics(snap);
  const planned: TableInfo = { ...t, rlsEnabled: true, policies };
  for (const w of workingCommands(snap, t)) {
    if (w.bypasses) continue;
    const verdict = sem.rowSecurity(planned, w.role, w.cmd);
    if (!verdict.allowed) {
      out.push(`${w.role} ${w.cmd} (${verdict.reason})`);
      continue;
    }
    for (const p of policies.filter((x) => !x.permissive && sem.covers(x, w.cmd) && sem.appliesTo(x, w.role))) {
      const unset = settingsIn(p).filter((s) => !APP_SETTINGS.includes(s));
      if (unset.length) out.push(`${w.role} ${w.cmd} (RESTRICTIVE policy ${p.name} reads ${unset.join(', ')}, which the app does not set)`);
    }
  }
  return out;
}
