import type { CatalogSnapshot, FunctionInfo, PolicyInfo, PublicationInfo, RealtimeMessagesInfo, TableInfo, TriggerInfo } from '../db/catalog.js';

/**
 * One difference between the live database and the shadow built from the migrations, in what the guide's
 * checks read (sql/snapshot.sql): publication membership, column lists, row filters and options; RLS flags;
 * policies; the API roles' table privileges; function security and search_path; the sync trigger.
 */
export interface Difference {
  /** Stable kind, for --json consumers and the migration writer. */
  kind: 'publication' | 'publication-table' | 'replica-identity' | 'rls' | 'policy' | 'privilege' | 'function' | 'trigger';
  /** What it is about, as a person names it: "policy realtime_conv_insert on public.realtime_conversations". */
  object: string;
  /** What each side has; null: the side does not have the object at all. */
  live: string | null;
  migrations: string | null;
  /** The one line printed: object, which side has what. */
  message: string;
}

export interface DriftInput {
  live: CatalogSnapshot;
  shadow: CatalogSnapshot;
}

const LIVE_ONLY = 'live only — created outside the migrations';
const MIGRATIONS_ONLY = 'migrations only — removed or never applied on the live database';

export function compareCatalogs({ live, shadow }: DriftInput): Difference[] {
  return [
    ...comparePublication(live.publication, shadow.publication),
    ...compareTables(live, shadow),
    ...compareRealtimeMessages(live.realtimeMessages, shadow.realtimeMessages),
    ...compareFunctions(live.functions, shadow.functions),
  ];
}

/** realtime.messages: its RLS, policies and grants decide who may join a private channel (policies.realtime-messages). */
function compareRealtimeMessages(live: RealtimeMessagesInfo | null | undefined, shadow: RealtimeMessagesInfo | null | undefined): Difference[] {
  // undefined: not read on that side (an older snapshot); null: the table does not exist there.
  if (live === undefined || shadow === undefined || (!live && !shadow)) return [];
  const key = `${(live ?? shadow)!.schema}.${(live ?? shadow)!.name}`;
  if (!live || !shadow) return [diff('rls', `table ${key}`, live ? 'exists' : null, shadow ? 'exists' : null)];
  const out: Difference[] = [];
  if (rlsShape(live) !== rlsShape(shadow)) out.push(diff('rls', `table ${key}`, rlsShape(live), rlsShape(shadow)));
  out.push(...comparePolicies(key, live.policies, shadow.policies));
  out.push(...comparePrivileges(key, live, shadow));
  return out;
}

function rlsShape(t: Pick<TableInfo, 'rlsEnabled' | 'rlsForced'>): string {
  return `row level security ${t.rlsEnabled ? 'enabled' : 'disabled'}${t.rlsForced ? ', forced' : ''}`;
}

function describePublication(p: PublicationInfo): string {
  const ops = (['insert', 'update', 'delete', 'truncate'] as const).filter((o) => p[o]);
  return `${p.allTables ? 'FOR ALL TABLES, ' : ''}publish ${ops.join(', ') || 'nothing'}${p.viaRoot ? ', via partition root' : ''}`;
}

function comparePublication(live: PublicationInfo | null, shadow: PublicationInfo | null): Difference[] {
  if (!live && !shadow) return [];
  const name = (live ?? shadow)!.name;
  const object = `publication ${name}`;
  const a = live && describePublication(live);
  const b = shadow && describePublication(shadow);
  if (a === b) return [];
  return [diff('publication', object, a, b)];
}

function tableKey(t: TableInfo): string {
  return `${t.schema}.${t.name}`;
}

/** What the publication sends of a table: membership, its column list and row filter. */
export function publishedShape(t: TableInfo | undefined): string | null {
  if (!t || !t.published) return null;
  const cols = t.hasColumnList ? ` (${t.columns.filter((c) => c.published).map((c) => c.name).join(', ')})` : ' (all columns)';
  return `published${cols}${t.rowFilter ? ` WHERE ${normaliseExpr(t.rowFilter)}` : ''}`;
}

const IDENTITY: Record<TableInfo['replicaIdentity'], string> = { d: 'DEFAULT', n: 'NOTHING', f: 'FULL', i: 'USING INDEX' };

export function identityShape(t: TableInfo): string {
  return t.replicaIdentity === 'i' ? `USING INDEX ${t.replicaIdentityIndex?.name ?? '?'}` : IDENTITY[t.replicaIdentity];
}

function compareTables(live: CatalogSnapshot, shadow: CatalogSnapshot): Difference[] {
  const out: Difference[] = [];
  const l = new Map(live.tables.map((t) => [tableKey(t), t]));
  const s = new Map(shadow.tables.map((t) => [tableKey(t), t]));
  const pub = live.publication?.name ?? shadow.publication?.name ?? 'the publication';
  for (const key of [...new Set([...l.keys(), ...s.keys()])].sort()) {
    const lt = l.get(key);
    const st = s.get(key);
    const a = publishedShape(lt);
    const b = publishedShape(st);
    if (a !== b) out.push(diff('publication-table', `table ${key} in publication ${pub}`, a ?? 'not published', b ?? 'not published', !a ? 'not published live' : !b ? 'not published by the migrations' : undefined));
    if (lt && st && (lt.published || st.published) && identityShape(lt) !== identityShape(st)) {
      out.push(diff('replica-identity', `replica identity of ${key}`, identityShape(lt), identityShape(st)));
    }
    // RLS, policies, privileges and triggers are read for the guide's tables only (as the checks do).
    const guideL = lt?.isGuideTable ? lt : undefined;
    const guideS = st?.isGuideTable ? st : undefined;
    if (!guideL && !guideS) continue;
    if (!guideL || !guideS) {
      out.push(diff('rls', `table ${key}`, guideL ? 'exists' : null, guideS ? 'exists' : null));
      continue;
    }
    if (rlsShape(guideL) !== rlsShape(guideS)) out.push(diff('rls', `table ${key}`, rlsShape(guideL), rlsShape(guideS)));
    out.push(...comparePolicies(key, guideL.policies, guideS.policies));
    out.push(...comparePrivileges(key, guideL, guideS));
    out.push(...compareTriggers(key, guideL.triggers, guideS.triggers));
  }
  return out;
}

/** Deparsed expressions (pg_get_expr) with whitespace collapsed: layout is not a difference. */
export function normaliseExpr(e: string | null): string | null {
  return e === null ? null : e.replace(/\s+/g, ' ').trim();
}

export function policyShape(p: PolicyInfo): string {
  const using = normaliseExpr(p.using);
  const check = normaliseExpr(p.check);
  return `${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command} TO ${[...p.roles].sort().join(', ')}${using !== null ? ` USING (${using})` : ''}${check !== null ? ` WITH CHECK (${check})` : ''}`;
}

function comparePolicies(table: string, live: PolicyInfo[], shadow: PolicyInfo[]): Difference[] {
  const out: Difference[] = [];
  const l = new Map(live.map((p) => [p.name, p]));
  const s = new Map(shadow.map((p) => [p.name, p]));
  for (const name of [...new Set([...l.keys(), ...s.keys()])].sort()) {
    const a = l.get(name);
    const b = s.get(name);
    const shapeA = a ? policyShape(a) : null;
    const shapeB = b ? policyShape(b) : null;
    if (shapeA !== shapeB) out.push(diff('policy', `policy ${name} on ${table}`, shapeA, shapeB));
  }
  return out;
}

function comparePrivileges(table: string, live: Pick<TableInfo, 'privileges'>, shadow: Pick<TableInfo, 'privileges'>): Difference[] {
  const out: Difference[] = [];
  const held = (t: Pick<TableInfo, 'privileges'>, role: string) => t.privileges.filter((p) => p.role === role && p.granted).map((p) => p.privilege);
  const roles = [...new Set([...live.privileges, ...shadow.privileges].map((p) => p.role))].sort();
  for (const role of roles) {
    const a = held(live, role).join(', ') || 'none';
    const b = held(shadow, role).join(', ') || 'none';
    if (a !== b) out.push(diff('privilege', `privileges of ${role} on ${table}`, a, b));
  }
  return out;
}

function triggerShape(t: TriggerInfo): string {
  const state = { O: 'enabled', D: 'disabled', R: 'enabled in replica mode only', A: 'enabled always' }[t.enabled];
  return `${state}, executes ${t.functionSchema}.${t.functionName}()`;
}

function compareTriggers(table: string, live: TriggerInfo[], shadow: TriggerInfo[]): Difference[] {
  const out: Difference[] = [];
  const l = new Map(live.map((t) => [t.name, t]));
  const s = new Map(shadow.map((t) => [t.name, t]));
  for (const name of [...new Set([...l.keys(), ...s.keys()])].sort()) {
    const a = l.get(name);
    const b = s.get(name);
    const shapeA = a ? triggerShape(a) : null;
    const shapeB = b ? triggerShape(b) : null;
    if (shapeA !== shapeB) out.push(diff('trigger', `trigger ${name} on ${table}`, shapeA, shapeB));
  }
  return out;
}

export function functionKey(f: FunctionInfo): string {
  return `${f.schema}.${f.name}(${f.arguments})`;
}

export function searchPathOf(f: FunctionInfo): string | null {
  const set = f.config?.find((c) => c.startsWith('search_path='));
  return set === undefined ? null : set.slice('search_path='.length);
}

function functionShape(f: FunctionInfo): string {
  const sp = searchPathOf(f);
  return `SECURITY ${f.securityDefiner ? 'DEFINER' : 'INVOKER'}, ${sp === null ? 'search_path not set' : `search_path = ${sp || "''"}`}`;
}

function compareFunctions(live: FunctionInfo[], shadow: FunctionInfo[]): Difference[] {
  const out: Difference[] = [];
  const l = new Map(live.map((f) => [functionKey(f), f]));
  const s = new Map(shadow.map((f) => [functionKey(f), f]));
  for (const key of [...new Set([...l.keys(), ...s.keys()])].sort()) {
    const a = l.get(key);
    const b = s.get(key);
    const shapeA = a ? functionShape(a) : null;
    const shapeB = b ? functionShape(b) : null;
    if (shapeA !== shapeB) out.push(diff('function', `function ${key}`, shapeA, shapeB));
  }
  return out;
}

function diff(kind: Difference['kind'], object: string, live: string | null, migrations: string | null, summary?: string): Difference {
  const message =
    summary && live !== null && migrations !== null
      ? `${object}: ${summary} (live: ${live}; migrations: ${migrations})`
      : live === null
        ? `${object}: ${MIGRATIONS_ONLY} (migrations: ${migrations})`
        : migrations === null
          ? `${object}: ${LIVE_ONLY} (live: ${live})`
          : `${object}: live has ${live}; the migrations have ${migrations}`;
  return { kind, object, live, migrations, message };
}
