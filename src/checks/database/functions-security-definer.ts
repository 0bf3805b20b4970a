import type { CampfireConfig } from '../../config.js';
import type { CatalogSnapshot, Command, FunctionInfo } from '../../db/catalog.js';
import type { Check, Finding } from '../types.js';
import { functionsNamed, signature } from './functions.js';

/**
 * Why the function's owner cannot do the sync trigger's write (INSERT … ON CONFLICT DO UPDATE into
 * realtime_conversations, which needs INSERT, UPDATE and SELECT, and is checked against the INSERT,
 * UPDATE and SELECT policies), or null when it can. SECURITY DEFINER runs the body as the owner, so
 * this is what the attribute buys. Superusers and BYPASSRLS roles skip policies, and so does the
 * table's owner unless RLS is forced. `rlsOn` overrides the table's RLS state (a plan about to enable it).
 * Null also when the snapshot lacks the facts (hand-built snapshots): nothing to judge with.
 */
export function ownerCannotWrite(snap: CatalogSnapshot, f: FunctionInfo, config: CampfireConfig, rlsOn?: boolean): string | null {
  const o = snap.functionOwners?.find((x) => x.schema === f.schema && x.name === f.name && x.arguments === f.arguments);
  const t = o?.tables?.find((x) => x.schema === config.schema && x.name === config.tables.realtimeConversations);
  if (!o || !t) return null;
  if (o.superuser) return null;
  const table = `${t.schema}.${t.name}`;
  const lacks = (['insert', 'update', 'select'] as const).filter((p) => !t[p]).map((p) => p.toUpperCase());
  if (lacks.length) return `its owner ${o.owner} lacks ${lacks.join(', ')} on ${table}`;
  const rls = rlsOn ?? t.rlsEnabled;
  if (!rls || o.bypassRls || (t.ownsTable && !t.rlsForced)) return null;
  const has = (cmd: Command) => t.policies.includes(cmd) || t.policies.includes('ALL');
  const noPolicy = (['INSERT', 'UPDATE', 'SELECT'] as const).filter((c) => !has(c));
  return noPolicy.length
    ? `its owner ${o.owner} is subject to ${table}'s row level security (neither its owner${t.rlsForced ? ' while RLS is not forced' : ''} nor BYPASSRLS) and no policy allows it ${noPolicy.join(', ')}`
    : null;
}

export const functionsSecurityDefiner: Check<'database'> = {
  id: 'functions.security-definer',
  section: 'widget-auth',
  title: 'Sync trigger function is SECURITY DEFINER',
  verifies:
    "The sync trigger function (sync_realtime_conversations) runs with its owner's privileges (prosecdef), and that owner can write realtime_conversations (grants, and row level security unless it bypasses it); update_updated_at_column is reported as the guide does, without failing.",
  guideRef: 'Widget Authentication Failures → 2. Fix Trigger Function Security Context',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const sync = functionsNamed(snap, config.schema, config.functions.sync);
    const updatedAt = functionsNamed(snap, config.schema, config.functions.updatedAt);
    const info = updatedAt.length
      ? `; ${updatedAt.map((f) => `${f.name} is ${f.securityDefiner ? 'SECURITY DEFINER' : 'SECURITY INVOKER'}`).join(', ')} (it only edits NEW, so either works)`
      : `; ${config.functions.updatedAt} not found (not needed by realtime)`;
    if (!sync.length) {
      return {
        status: 'fail',
        summary: `${config.schema}.${config.functions.sync} does not exist${info}`,
        findings: [{ object: `${config.schema}.${config.functions.sync}`, detail: 'function does not exist' }],
      };
    }
    const findings: Finding[] = sync.flatMap((f): Finding[] => {
      if (!f.securityDefiner) return [{ object: signature(f), detail: `SECURITY INVOKER: runs as the widget's role (anon), which cannot write realtime_conversations` }];
      const why = ownerCannotWrite(snap, f, config);
      return why ? [{ object: signature(f), detail: `SECURITY DEFINER changes nothing here: ${why}, so the trigger's write still fails (make the table's owner own the function: ALTER FUNCTION ${signature(f)} OWNER TO …)` }] : [];
    });
    if (findings.length) return { status: 'fail', summary: `the sync function lacks the privileges its insert needs${info}`, findings };
    return { status: 'pass', summary: `${sync.map(signature).join(', ')} is SECURITY DEFINER (owner ${sync[0]!.owner}, who can write ${config.tables.realtimeConversations})${info}` };
  },
};
