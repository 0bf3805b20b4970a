import { PolicySemantics } from '../policies/semantics.js';
import { functionsNamed, kindOf, pinnedSearchPath, searchPathProblem, signature } from '../checks/database/functions.js';
import { ownerCannotWrite } from '../checks/database/functions-security-definer.js';
import { GUIDE_PRIVILEGES } from '../checks/database/permissions-grants.js';
import { restoreColumnGrants } from './acl.js';
import { assertGuideTablesExist } from './preconditions.js';
import { rlsLockouts } from './rls-safety.js';
import { pinFor } from './search-path.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot, Command, PolicyInfo, TableInfo } from '../db/catalog.js';
import type { Plan, Step } from './plan.js';
import { ident, listSettingSql, qualifiedName } from './sqltext.js';

/**
 * How the realtime_conversations INSERT/UPDATE policies are written. `organization` (recommended): scoped to
 * the organization the app sets per request (app.current_organization_id, read once per statement through
 * a sub-select), so the table is not writable by any visitor for any organization. `guide`: the guide's
 * WITH CHECK (true), which splinter's lint 0024 and doctor's policies.permissive warn about.
 */
export const POLICY_MODES = ['organization', 'guide'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
export const DEFAULT_POLICY_MODE: PolicyMode = 'organization';

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

const ORG_MATCH = `organization_id::text = (select current_setting('app.current_organization_id', true))`;

/** The guide's repairs for "Widget Authentication Failures" and "Database Permission Errors", each only when missing and harmless. */
export function planPermissions(snap: CatalogSnapshot, config: CampfireConfig, opts: PermissionsOptions): Plan {
  const plan: Plan = { command: 'fix-permissions', steps: [], decisions: [], refusals: [], notes: [] };
  const tables = assertGuideTablesExist(snap, config);
  const roles = Object.values(config.roles).filter((r) => snap.roles.some((x) => x.name === r));
  const missingRoles = Object.values(config.roles).filter((r) => !roles.includes(r));
  for (const r of missingRoles) {
    plan.decisions.push({ object: `role ${r}`, detail: 'role does not exist: is this a Supabase database? (configure roles in campfire.config.json)', leaves: ['permissions.grants', 'policies.realtime-conversations'] });
  }
  const apiRoles = [config.roles.anon, config.roles.authenticated].filter((r) => roles.includes(r));
  // The same semantics doctor judges with: a policy counts when it applies to the role and admits rows.
  const sem = new PolicySemantics(snap);
  const allows = (t: TableInfo, policies: PolicyInfo[], cmd: Cmd, role: string) =>
    sem.rowSecurity({ ...t, rlsEnabled: true, policies }, role, cmd).allowed;

  // 1. Policies the guide adds, only where the command has no policy yet (planned first: RLS counts them).
  const created: NewPolicy[] = [];
  const policySteps: Step[] = [];
  const rtc = tables.find((g) => g.key === 'realtimeConversations')?.table;
  // Without anon/authenticated there is nobody to write a policy for (reported above as a missing role).
  if (rtc && apiRoles.length) {
    const scoped = opts.policyMode === 'organization';
    if (scoped && !rtc.columns.some((c) => c.name === 'organization_id')) {
      plan.decisions.push({ object: `${rtc.schema}.${rtc.name}`, detail: 'no organization_id column to scope its policies to (--policy-mode organization): write policies for your schema, or choose --policy-mode guide', leaves: ['policies.realtime-conversations', 'permissions.policies'] });
    } else {
      for (const [cmd, name, clause] of [
        ['INSERT', 'realtime_conv_insert', scoped ? `WITH CHECK (${ORG_MATCH})` : 'WITH CHECK (true)'],
        ['UPDATE', 'realtime_conv_update', scoped ? `USING (${ORG_MATCH}) WITH CHECK (${ORG_MATCH})` : 'USING (true) WITH CHECK (true)'],
      ] as const) {
        if (apiRoles.every((r) => allows(rtc, rtc.policies, cmd, r))) continue;
        addPolicy(plan, policySteps, created, rtc, name, cmd, apiRoles, clause, ['policies.realtime-conversations', 'permissions.policies'],
          `realtime_conversations has no ${cmd} policy for ${apiRoles.join(', ')}: the sync trigger's write is refused for widget visitors${scoped ? '; scoped to the organization the app sets (app.current_organization_id)' : ' (the guide\'s always-true policy, as you chose with --policy-mode guide)'}`,
          scoped ? 'scoped to the organization' : 'guide');
      }
    }
  }
  if (rtc && apiRoles.length) {
    // The sync trigger's INSERT … ON CONFLICT DO UPDATE also needs SELECT visibility; the guide gives no
    // SELECT policy for realtime_conversations, so which rows a visitor may see is the app owners' call.
    const blind = apiRoles.filter((r) => !allows(rtc, rtc.policies, 'SELECT', r));
    if (blind.length) {
      plan.decisions.push({
        object: `${rtc.schema}.${rtc.name}`,
        detail: `no SELECT policy lets ${blind.join(', ')} see rows, and the sync trigger's INSERT … ON CONFLICT DO UPDATE needs it (while the function runs as the caller); the guide gives none: e.g. CREATE POLICY realtime_conv_select_org ON ${rtc.schema}.${rtc.name} FOR SELECT TO ${blind.join(', ')} USING (${ORG_MATCH})`,
        leaves: ['policies.realtime-conversations'],
      });
    }
  }
  const conv = tables.find((g) => g.key === 'conversations')?.table;
  if (conv && apiRoles.length && !conv.policies.some((p) => p.command === 'SELECT' || p.command === 'ALL')) {
    if (conv.columns.some((c) => c.name === 'organization_id')) {
      // organization_id is uuid in Campfire: compare as text, since current_setting returns text.
      addPolicy(plan, policySteps, created, conv, 'conversations_select_org', 'SELECT', apiRoles,
        // The setting in a subquery is read once per statement, not per row (performance.policy-per-row-calls).
        `USING (${ORG_MATCH})`, ['permissions.policies'],
        'conversations has no SELECT policy: the guide scopes reads to app.current_organization_id');
    } else {
      plan.decisions.push({ object: `${conv.schema}.${conv.name}`, detail: 'no SELECT policy, and no organization_id column for the guide\'s conversations_select_org: write one for your schema', leaves: ['permissions.policies'] });
    }
  }
  if (created.some((c) => c.policy.name.startsWith('realtime_conv_')) && opts.policyMode === 'guide') {
    plan.notes.push(
      `The guide's realtime_conv_insert/realtime_conv_update are WITH CHECK (true) for anon: any visitor holding the anon key can write any row of realtime_conversations directly, not only through the trigger. doctor's policies.permissive will warn about them (splinter 0024). --policy-mode organization (the default) scopes them to app.current_organization_id instead.`,
    );
  }

  // 2. RLS: decided before any grant, because a grant to anon/authenticated on a table that keeps RLS off
  //    opens every row to every visitor. Enabled only where nothing that works today stops working.
  const rlsOn = new Set<TableInfo>();
  const rlsSteps: Step[] = [];
  for (const g of tables) {
    const t = g.table;
    if (!t) continue;
    if (t.rlsEnabled) { rlsOn.add(t); continue; }
    const policies = [...t.policies, ...created.filter((c) => c.table === t).map((c) => c.policy)];
    const lockouts = rlsLockouts(snap, t, policies);
    if (lockouts === null || lockouts.length) {
      plan.decisions.push({
        object: g.object,
        detail: lockouts === null
          ? 'row level security left disabled: the catalog facts that say who would lose access were not read'
          : `row level security left disabled: enabling it would refuse ${lockouts.join(', ')}. Add policies for them (or revoke the grants)${examplePolicy(t, apiRoles)}, then: ALTER TABLE ${qualifiedName(t.schema, t.name)} ENABLE ROW LEVEL SECURITY`,
        leaves: ['permissions.rls-enabled', ...(policies.length ? [] : ['permissions.policies'])],
      });
      continue;
    }
    rlsOn.add(t);
    rlsSteps.push({
      id: `rls:${g.object}`,
      title: `Enable row level security on ${g.object}`,
      reasons: [`${g.object} has RLS disabled; every role that reads or writes it today keeps a policy that allows it`],
      sql: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} ENABLE ROW LEVEL SECURITY`],
      undo: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} DISABLE ROW LEVEL SECURITY`],
      repairs: ['permissions.rls-enabled'],
    });
  }

  // 3. Grants (Database Permission Errors → 1), only the privileges each role lacks, never to
  //    anon/authenticated on a table without row level security.
  for (const g of tables) {
    const t = g.table;
    if (!t) continue;
    const has = new Set(t.privileges.filter((p) => p.granted).map((p) => `${p.role}:${p.privilege}`));
    for (const role of roles) {
      const missing = GUIDE_PRIVILEGES.filter((p) => !has.has(`${role}:${p}`));
      if (!missing.length) continue;
      const on = `ON TABLE ${qualifiedName(t.schema, t.name)}`;
      if (apiRoles.includes(role) && !rlsOn.has(t)) {
        plan.decisions.push({
          object: `${g.object} for ${role}`,
          detail: `${missing.join(', ')} not granted: ${g.object} has row level security disabled, so the grant would let every visitor ${missing.join('/')} every row. Write policies and enable RLS first, then: GRANT ${missing.join(', ')} ${on} TO ${ident(role)}`,
          leaves: ['permissions.grants'],
        });
        continue;
      }
      plan.steps.push({
        id: `grant:${g.object}:${role}`,
        title: `Grant ${missing.join(', ')} on ${g.object} to ${role}`,
        reasons: [
          `${role} lacks ${missing.join(', ')} on ${g.object} ("permission denied for table ${t.name}")`,
          // REVOKE cannot bring back a NULL relacl: the undo leaves an explicit ACL with the same privileges.
          ...(t.acl === null ? [`${g.object} has the owner's implicit default ACL; the undo restores the same privileges as an explicit ACL`] : []),
        ],
        sql: [`GRANT ${missing.join(', ')} ${on} TO ${ident(role)}`],
        // A table-level REVOKE also drops the role's column grants of those privileges: put them back.
        undo: [`REVOKE ${missing.join(', ')} ${on} FROM ${ident(role)}`, ...restoreColumnGrants(snap, t, role, missing)],
        repairs: ['permissions.grants'],
      });
    }
  }
  plan.steps.push(...policySteps);

  // 4. The sync trigger function: SECURITY DEFINER with a pinned search_path (docs/realtime-facts.md §4).
  planSyncFunction(snap, config, plan, apiRoles, rlsOn);

  plan.steps.push(...rlsSteps);
  for (const g of tables) {
    const t = g.table;
    if (t && !t.policies.length && !created.some((c) => c.table === t) && !plan.decisions.some((d) => d.object === g.object)) {
      plan.decisions.push({ object: g.object, detail: 'no policies: the guide gives none for this table; write policies that fit your app', leaves: ['permissions.policies'] });
    }
  }
  return plan;
}

/** An example policy a person could adapt (scoped to the app's organization), for a decision's text. */
function examplePolicy(t: TableInfo, roles: string[]): string {
  if (!roles.length || !t.columns.some((c) => c.name === 'organization_id')) return '';
  return `, e.g. CREATE POLICY ${ident(`${t.name}_org`)} ON ${qualifiedName(t.schema, t.name)} FOR ALL TO ${roles.map(ident).join(', ')} USING (${ORG_MATCH}) WITH CHECK (${ORG_MATCH})`;
}

function addPolicy(plan: Plan, steps: Step[], created: NewPolicy[], t: TableInfo, name: string, command: Cmd, roles: string[],
  clause: string, repairs: string[], reason: string, kind = 'guide'): void {
  const object = `${t.schema}.${t.name}`;
  if (t.policies.some((p) => p.name === name)) {
    plan.decisions.push({ object: `policy ${name} on ${object}`, detail: `a policy named ${name} exists but does not cover ${command} for ${roles.join(', ')}: review it by hand`, leaves: repairs });
    return;
  }
  const on = `ON ${qualifiedName(t.schema, t.name)}`;
  const sql = `CREATE POLICY ${ident(name)} ${on} AS PERMISSIVE FOR ${command} TO ${roles.map(ident).join(', ')} ${clause}`;
  created.push({ table: t, sql, policy: { name, command, permissive: true, roles, ...clauseExpressions(clause) } });
  steps.push({
    id: `policy:${object}:${name}`,
    title: `Create policy ${name} on ${object} (${kind})`,
    reasons: [reason],
    sql: [sql],
    // IF EXISTS: recover writes one undo script for several plans before applying any, so each statement
    // must also hold when its step never ran.
    undo: [`DROP POLICY IF EXISTS ${ident(name)} ${on}`],
    repairs,
  });
}

function planSyncFunction(snap: CatalogSnapshot, config: CampfireConfig, plan: Plan, firing: string[], rlsOn: Set<TableInfo>): void {
  const fns = functionsNamed(snap, config.schema, config.functions.sync);
  if (!fns.length) {
    plan.decisions.push({ object: `${config.schema}.${config.functions.sync}`, detail: 'function does not exist: recreate it from your Campfire migrations', leaves: ['functions.security-definer'] });
  }
  const rtc = snap.tables.find((t) => t.schema === config.schema && t.name === config.tables.realtimeConversations);
  for (const f of fns) {
    const pinned = pinnedSearchPath(f);
    // '' (Supabase's preference) breaks the function's unqualified insert into realtime_conversations.
    // A path without pg_temp last lets a caller's temp table shadow the function's tables: repin it too.
    const repin = pinned === null || pinned === '""' || searchPathProblem(f) !== null;
    if (f.securityDefiner && !repin) continue;
    // SECURITY DEFINER runs the body as the owner: an owner that cannot write the table gains nothing.
    const cannot = ownerCannotWrite(snap, f, config, rtc ? rlsOn.has(rtc) : undefined);
    if (cannot) {
      plan.decisions.push({
        object: signature(f),
        detail: `not made SECURITY DEFINER: ${cannot}, so running it as its owner changes nothing. Give it an owner that can write ${config.tables.realtimeConversations} (e.g. ALTER FUNCTION ${qualifiedName(f.schema, f.name)}(${f.arguments}) OWNER TO ${ident(rtc?.owner ?? 'postgres')}), then run fix-permissions again`,
        leaves: ['functions.security-definer', 'functions.search-path'],
      });
      continue;
    }
    // Pin what the function resolves today for the roles that fire it, or its unqualified calls
    // (e.g. an extension's function in the extensions schema) stop resolving.
    const pin = pinFor(snap, firing, config.schema);
    if ('conflict' in pin) {
      plan.decisions.push({ object: signature(f), detail: `search_path not pinned: ${pin.conflict}. Pin it by hand (ALTER FUNCTION … SET search_path = …, pg_temp)`, leaves: ['functions.security-definer', 'functions.search-path'] });
      continue;
    }
    const pinTo = `${pin.schemas.map(ident).join(', ')}, pg_temp`;
    const target = `${qualifiedName(f.schema, f.name)}(${f.arguments})`;
    const sql = `ALTER FUNCTION ${target}${f.securityDefiner ? '' : ' SECURITY DEFINER'}${repin ? ` SET search_path = ${pinTo}` : ''}`;
    const restorePath = pinned === null ? ` RESET search_path` : repin ? ` SET search_path = ${listSettingSql(pinned)}` : '';
    const undo = `ALTER FUNCTION ${target}${f.securityDefiner ? '' : ' SECURITY INVOKER'}${restorePath}`;
    plan.steps.push({
      id: `function:${signature(f)}`,
      title: `Make ${signature(f)} SECURITY DEFINER with search_path ${pin.schemas.join(', ')}, pg_temp`,
      reasons: [
        f.securityDefiner ? `${signature(f)} is SECURITY DEFINER with ${pinned === null ? 'a mutable search_path' : pinned === '""' ? "search_path ''" : `search_path = ${pinned} (pg_temp not last)`}` : `${signature(f)} runs as the widget's role (SECURITY INVOKER), which cannot write realtime_conversations`,
        `search_path is pinned to ${pin.why}; pg_temp last, as the Postgres docs advise`,
      ],
      sql: [sql],
      undo: [undo],
      repairs: ['functions.security-definer', 'functions.search-path'],
    });
  }
  const others = snap.functions.filter((f) => f.securityDefiner && f.schema === config.schema && f.name !== config.functions.sync && searchPathProblem(f) !== null);
  for (const f of others) {
    plan.decisions.push({ object: signature(f), detail: `SECURITY DEFINER with ${searchPathProblem(f)}: not the guide's function, so campfire leaves it to you (ALTER ${kindOf(snap, f) === 'p' ? 'PROCEDURE' : 'FUNCTION'} ${signature(f)} SET search_path = …, pg_temp, with the schemas it uses)`, leaves: ['functions.search-path'] });
  }
}

/** USING and WITH CHECK of a clause the plan writes, so the policy semantics can count the new policy. */
function clauseExpressions(clause: string): Pick<PolicyInfo, 'using' | 'check'> {
  const check = clause.match(/WITH CHECK \((.*)\)$/)?.[1] ?? null;
  const usingPart = clause.startsWith('USING (') ? clause.slice('USING ('.length, clause.includes(') WITH CHECK (') ? clause.indexOf(') WITH CHECK (') : -1) : null;
  return { using: usingPart, check };
}
