import { hasPolicyFor } from '../checks/database/policies.js';
import { functionsNamed, pinnedSearchPath, signature } from '../checks/database/functions.js';
import { GUIDE_PRIVILEGES } from '../checks/database/permissions-grants.js';
import { guideTables } from '../checks/database/tables.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot, Command, PolicyInfo, TableInfo } from '../db/catalog.js';
import type { Plan, Step } from './plan.js';
import { ident, listSettingSql, qualifiedName } from './sqltext.js';

export type PolicyMode = 'guide';

export interface PermissionsOptions {
  policyMode: PolicyMode;
}

type Cmd = Exclude<Command, 'ALL'>;

/** A policy the plan creates, in the catalog's shape so the RLS decision can count it. */
interface NewPolicy {
  table: TableInfo;
  policy: PolicyInfo;
  sql: string;
}

/** The guide's repairs for "Widget Authentication Failures" and "Database Permission Errors", each only when missing. */
export function planPermissions(snap: CatalogSnapshot, config: CampfireConfig, _opts: PermissionsOptions): Plan {
  const plan: Plan = { command: 'fix-permissions', steps: [], decisions: [], refusals: [], notes: [] };
  const roles = Object.values(config.roles).filter((r) => snap.roles.some((x) => x.name === r));
  const missingRoles = Object.values(config.roles).filter((r) => !roles.includes(r));
  for (const r of missingRoles) {
    plan.decisions.push({ object: `role ${r}`, detail: 'role does not exist: is this a Supabase database? (configure roles in campfire.config.json)', leaves: ['permissions.grants', 'policies.realtime-conversations'] });
  }
  const apiRoles = [config.roles.anon, config.roles.authenticated].filter((r) => roles.includes(r));
  const tables = guideTables(snap, config);
  for (const g of tables.filter((g) => !g.table)) {
    plan.decisions.push({ object: g.object, detail: 'table does not exist (check the schema and table names in campfire.config.json)', leaves: ['permissions.grants', 'permissions.rls-enabled', 'permissions.policies', 'policies.realtime-conversations'] });
  }

  // 1. Grants (Database Permission Errors → 1), only the privileges each role lacks.
  const granted = new Map<TableInfo, Set<string>>();
  for (const g of tables) {
    const t = g.table;
    if (!t) continue;
    const has = new Set(t.privileges.filter((p) => p.granted).map((p) => `${p.role}:${p.privilege}`));
    granted.set(t, has);
    for (const role of roles) {
      const missing = GUIDE_PRIVILEGES.filter((p) => !has.has(`${role}:${p}`));
      if (!missing.length) continue;
      missing.forEach((p) => has.add(`${role}:${p}`));
      const on = `ON TABLE ${qualifiedName(t.schema, t.name)}`;
      plan.steps.push({
        id: `grant:${g.object}:${role}`,
        title: `Grant ${missing.join(', ')} on ${g.object} to ${role}`,
        reasons: [
          `${role} lacks ${missing.join(', ')} on ${g.object} ("permission denied for table ${t.name}")`,
          // REVOKE cannot bring back a NULL relacl: the undo leaves an explicit ACL with the same privileges.
          ...(t.acl === null ? [`${g.object} has the owner's implicit default ACL; the undo restores the same privileges as an explicit ACL`] : []),
        ],
        sql: [`GRANT ${missing.join(', ')} ${on} TO ${ident(role)}`],
        undo: [`REVOKE ${missing.join(', ')} ${on} FROM ${ident(role)}`],
        repairs: ['permissions.grants'],
      });
    }
  }

  // 2. Policies the guide adds, only where the command has no policy yet.
  const created: NewPolicy[] = [];
  const rtc = tables.find((g) => g.key === 'realtimeConversations')?.table;
  // Without anon/authenticated there is nobody to write a policy for (reported above as a missing role).
  if (rtc && apiRoles.length) {
    for (const [cmd, name, clause] of [
      ['INSERT', 'realtime_conv_insert', 'WITH CHECK (true)'],
      ['UPDATE', 'realtime_conv_update', 'USING (true) WITH CHECK (true)'],
    ] as const) {
      if (apiRoles.every((r) => hasPolicyFor(rtc.policies, cmd, r))) continue;
      addPolicy(plan, created, rtc, name, cmd, apiRoles, clause, ['policies.realtime-conversations', 'permissions.policies'],
        `realtime_conversations has no ${cmd} policy for ${apiRoles.join(', ')}: the sync trigger's write is refused for widget visitors`);
    }
  }
  const conv = tables.find((g) => g.key === 'conversations')?.table;
  if (conv && apiRoles.length && !conv.policies.some((p) => p.command === 'SELECT' || p.command === 'ALL')) {
    if (conv.columns.some((c) => c.name === 'organization_id')) {
      // organization_id is uuid in Campfire: compare as text, since current_setting returns text.
      addPolicy(plan, created, conv, 'conversations_select_org', 'SELECT', apiRoles,
        `USING (organization_id::text = current_setting('app.current_organization_id', true))`, ['permissions.policies'],
        'conversations has no SELECT policy: the guide scopes reads to app.current_organization_id');
    } else {
      plan.decisions.push({ object: `${conv.schema}.${conv.name}`, detail: 'no SELECT policy, and no organization_id column for the guide\'s conversations_select_org: write one for your schema', leaves: ['permissions.policies'] });
    }
  }
  if (created.some((c) => c.policy.name.startsWith('realtime_conv_'))) {
    plan.notes.push(
      `The guide's realtime_conv_insert/realtime_conv_update are WITH CHECK (true) for anon: any visitor holding the anon key can write any row of realtime_conversations directly, not only through the trigger. doctor's policies.permissive will warn about them (splinter 0024). Since the sync function is SECURITY DEFINER after this plan, the trigger does not need them; narrow or drop them once the widget works.`,
    );
  }

  // 3. The sync trigger function: SECURITY DEFINER with a pinned search_path (docs/realtime-facts.md §4).
  planSyncFunction(snap, config, plan);

  // 4. RLS: only where it cannot lock the app out.
  for (const g of tables) {
    const t = g.table;
    if (!t || t.rlsEnabled) continue;
    const policies = [...t.policies, ...created.filter((c) => c.table === t).map((c) => c.policy)];
    const has = granted.get(t)!;
    const uncovered: string[] = [];
    for (const role of apiRoles) {
      for (const cmd of ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as Cmd[]) {
        if (has.has(`${role}:${cmd}`) && !hasPolicyFor(policies, cmd, role)) uncovered.push(`${role} ${cmd}`);
      }
    }
    if (uncovered.length) {
      plan.decisions.push({
        object: g.object,
        detail: `row level security left disabled: enabling it would refuse ${uncovered.join(', ')} (granted, but no policy allows it). Add policies for them or revoke the grants, then run fix-permissions again`,
        leaves: ['permissions.rls-enabled', ...(policies.length ? [] : ['permissions.policies'])],
      });
      continue;
    }
    plan.steps.push({
      id: `rls:${g.object}`,
      title: `Enable row level security on ${g.object}`,
      reasons: [`${g.object} has RLS disabled; every command anon/authenticated are granted has a policy`],
      sql: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} ENABLE ROW LEVEL SECURITY`],
      undo: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} DISABLE ROW LEVEL SECURITY`],
      repairs: ['permissions.rls-enabled'],
    });
  }
  for (const g of tables) {
    const t = g.table;
    if (t && !t.policies.length && !created.some((c) => c.table === t) && !plan.decisions.some((d) => d.object === g.object)) {
      plan.decisions.push({ object: g.object, detail: 'no policies: the guide gives none for this table; write policies that fit your app', leaves: ['permissions.policies'] });
    }
  }
  return plan;
}

function addPolicy(plan: Plan, created: NewPolicy[], t: TableInfo, name: string, command: Cmd, roles: string[],
  clause: string, repairs: string[], reason: string): void {
  const object = `${t.schema}.${t.name}`;
  if (t.policies.some((p) => p.name === name)) {
    plan.decisions.push({ object: `policy ${name} on ${object}`, detail: `a policy named ${name} exists but does not cover ${command} for ${roles.join(', ')}: review it by hand`, leaves: repairs });
    return;
  }
  const on = `ON ${qualifiedName(t.schema, t.name)}`;
  const sql = `CREATE POLICY ${ident(name)} ${on} AS PERMISSIVE FOR ${command} TO ${roles.map(ident).join(', ')} ${clause}`;
  created.push({ table: t, sql, policy: { name, command, permissive: true, roles, using: null, check: null } });
  plan.steps.push({
    id: `policy:${object}:${name}`,
    title: `Create policy ${name} on ${object} (guide)`,
    reasons: [reason],
    sql: [sql],
    // IF EXISTS: recover writes one undo script for several plans before applying any, so each statement
    // must also hold when its step never ran.
    undo: [`DROP POLICY IF EXISTS ${ident(name)} ${on}`],
    repairs,
  });
}

function planSyncFunction(snap: CatalogSnapshot, config: CampfireConfig, plan: Plan): void {
  const fns = functionsNamed(snap, config.schema, config.functions.sync);
  if (!fns.length) {
    plan.decisions.push({ object: `${config.schema}.${config.functions.sync}`, detail: 'function does not exist: recreate it from your Campfire migrations', leaves: ['functions.security-definer'] });
  }
  const pinTo = `${ident(config.schema)}, pg_temp`;
  for (const f of fns) {
    const pinned = pinnedSearchPath(f);
    // '' (Supabase's preference) breaks the function's unqualified insert into realtime_conversations.
    const repin = pinned === null || pinned === '""';
    if (f.securityDefiner && !repin) continue;
    const target = `${qualifiedName(f.schema, f.name)}(${f.arguments})`;
    const sql = `ALTER FUNCTION ${target}${f.securityDefiner ? '' : ' SECURITY DEFINER'}${repin ? ` SET search_path = ${pinTo}` : ''}`;
    const restorePath = pinned === null ? ` RESET search_path` : repin ? ` SET search_path = ${listSettingSql(pinned)}` : '';
    const undo = `ALTER FUNCTION ${target}${f.securityDefiner ? '' : ' SECURITY INVOKER'}${restorePath}`;
    plan.steps.push({
      id: `function:${signature(f)}`,
      title: `Make ${signature(f)} SECURITY DEFINER with search_path ${config.schema}, pg_temp`,
      reasons: [
        f.securityDefiner ? `${signature(f)} is SECURITY DEFINER with ${pinned === null ? 'a mutable search_path' : "search_path ''"}` : `${signature(f)} runs as the widget's role (SECURITY INVOKER), which cannot write realtime_conversations`,
        `search_path is pinned to ${config.schema}, pg_temp (not '': its unqualified insert needs ${config.schema}; pg_temp last, as the Postgres docs advise)`,
      ],
      sql: [sql],
      undo: [undo],
      repairs: ['functions.security-definer', 'functions.search-path'],
    });
  }
  const others = snap.functions.filter((f) => f.securityDefiner && f.schema === config.schema && f.name !== config.functions.sync && pinnedSearchPath(f) === null);
  for (const f of others) {
    plan.decisions.push({ object: signature(f), detail: `SECURITY DEFINER without SET search_path: not the guide's function, so campfire leaves it to you (ALTER FUNCTION ${signature(f)} SET search_path = ${config.schema}, pg_temp)`, leaves: ['functions.search-path'] });
  }
}
