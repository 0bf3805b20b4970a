import { identityOf, publishedWritesProblem, safetyOf, tableIdentityFacts } from '../checks/database/publication-replica-identity.js';
import { describeType, isScalar } from '../checks/database/tables.js';
import { assertGuideTablesExist } from './preconditions.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot, PublicationInfo, TableInfo } from '../db/catalog.js';
import { UsageError } from '../errors.js';
import type { Decision, Plan, Step } from './plan.js';
import { ident, literal, qualifiedName } from './sqltext.js';
import { plural } from '../plural.js';

/** Broadcast-from-database owns this publication; campfire never touches it (docs/realtime-facts.md §2). */
export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication';

/** What to do with a REPLICA IDENTITY FULL table, which cannot carry a column list at all. */
export type FullTables = 'refuse' | 'replica-identity-default' | 'no-column-list';

export interface PublicationOptions {
  fullTables: FullTables;
}

const CHECKS = ['publication.exists', 'publication.tables', 'publication.scalar-columns', 'publication.replica-identity'];

/** One table's entry in the publication: its column list (null: whole table) and row filter. */
export interface Entry {
  table: TableInfo;
  columns: string[] | null;
  rowFilter: string | null;
}

export function planPublication(snap: CatalogSnapshot, config: CampfireConfig, opts: PublicationOptions): Plan {
  if (config.publication === MESSAGES_PUBLICATION) {
    throw new UsageError(`${MESSAGES_PUBLICATION} belongs to Realtime's broadcast-from-database; campfire never changes it. Configure the postgres_changes publication (supabase_realtime).`);
  }
  const plan: Plan = { command: 'fix-publication', steps: [], decisions: [], refusals: [], notes: [] };
  const pub = snap.publication;
  if (pub?.hasSchemas) {
    plan.refusals.push({
      object: pub.name,
      detail: 'publishes whole schemas (FOR TABLES IN SCHEMA): campfire does not rewrite it; give it an explicit table list first',
      leaves: CHECKS,
    });
    return plan;
  }
  const current = currentEntries(snap);
  const guide = assertGuideTablesExist(snap, config);
  const tables = [...current.map((e) => e.table)];
  for (const g of guide) if (g.table && !tables.includes(g.table)) tables.push(g.table);

  const publishesChanges = pub ? pub.update || pub.delete : true;
  const viaRoot = pub?.viaRoot ?? false;
  const steps: Step[] = [];
  const reasons: string[] = [];
  const target: Entry[] = [];
  for (const t of tables) {
    const before = current.find((e) => e.table === t);
    const wanted = targetEntry(t, before, config, opts, plan, publishesChanges, steps, snap);
    // The one rule every entry obeys: the plan never makes UPDATE or DELETE fail on a table that is
    // published (or about to be). Postgres accepts the DDL and fails the writes later, so this is judged
    // here, with the replica identity Postgres really uses (immediate keys, each partition's own).
    if (publishesChanges && !keepsWritesWorking(t, before, wanted, snap, viaRoot, plan)) {
      // Nothing changes for this table then, not even the replica identity switch planned for its list.
      const switchAt = steps.findIndex((s) => s.id === `replica-identity:${t.schema}.${t.name}`);
      if (switchAt >= 0) steps.splice(switchAt, 1);
      if (before) target.push(before);
      continue;
    }
    target.push(wanted);
    const why = describeChange(t, before, wanted);
    if (why) reasons.push(why);
  }
  if (plan.refusals.length) return plan;

  const name = config.publication;
  const list = (entries: Entry[]) => entries.map(entrySql).join(', ');
  if (!target.length && (!pub || pub.allTables)) {
    // None of the guide's tables exist (a wrong schema or table name in the config, or a database without
    // the Campfire schema): creating or rewriting the publication under that name would only add clutter.
    plan.decisions.push({ object: `publication ${name}`, detail: `not ${pub ? 're-created' : 'created'}: none of the tables it should publish exist (check the schema and table names in campfire.config.json)`, leaves: CHECKS });
  } else if (!pub) {
    steps.push({
      id: `publication:${name}:create`,
      title: `Create publication ${name}`,
      reasons: [`publication ${name} does not exist: Realtime has nothing to stream`, ...reasons],
      sql: [`CREATE PUBLICATION ${ident(name)} FOR TABLE ${list(target)}`],
      undo: [`DROP PUBLICATION IF EXISTS ${ident(name)}`],
      repairs: CHECKS,
    });
  } else if (pub.allTables) {
    // DROP loses what CREATE does not say: the owner and the comment are restored explicitly, both ways.
    const keep = keepProperties(snap, name);
    steps.push({
      id: `publication:${name}:recreate`,
      title: `Re-create FOR ALL TABLES publication ${name} with a table list`,
      reasons: [`${name} is FOR ALL TABLES, which cannot carry column lists: dropped and created again in the same transaction with the same ${plural(tables.length, 'table')}, publish options${keep.what}`, ...reasons],
      sql: [`DROP PUBLICATION ${ident(name)}`, `CREATE PUBLICATION ${ident(name)} FOR TABLE ${list(target)} ${withOptions(pub)}`, ...keep.sql],
      undo: [`DROP PUBLICATION IF EXISTS ${ident(name)}`, `CREATE PUBLICATION ${ident(name)} FOR ALL TABLES ${withOptions(pub)}`, ...keep.sql],
      repairs: CHECKS,
    });
  } else if (reasons.length) {
    steps.push({
      id: `publication:${name}:set-table`,
      title: `Set the table list of publication ${name}`,
      reasons,
      sql: [`ALTER PUBLICATION ${ident(name)} SET TABLE ${list(target)}`],
      undo: current.length
        ? [`ALTER PUBLICATION ${ident(name)} SET TABLE ${list(current)}`]
        : [`ALTER PUBLICATION ${ident(name)} DROP TABLE ${target.map((e) => qualifiedName(e.table.schema, e.table.name)).join(', ')}`],
      repairs: CHECKS,
    });
  }
  plan.steps = steps;
  if (plan.steps.length) {
    plan.notes.push('Realtime ignores publication column lists (docs/realtime-facts.md §2): they only narrow logical replication. Every list keeps the replica identity columns, so UPDATE and DELETE keep working.');
  }
  return plan;
}

function currentEntries(snap: CatalogSnapshot): Entry[] {
  return snap.tables
    .filter((t) => t.published)
    .map((t) => ({ table: t, columns: t.hasColumnList ? t.columns.filter((c) => c.published).map((c) => c.name) : null, rowFilter: t.rowFilter }));
}

/**
 * The replica identity columns UPDATE and DELETE need in any column list, or null when there are none
 * (FULL, NOTHING, a DEFERRABLE primary key). A partitioned table's list must also cover each partition's.
 */
function identityColumnsOf(t: TableInfo, snap?: CatalogSnapshot): string[] | null {
  const own = identityOf(t.replicaIdentity, tableIdentityFacts(t, snap));
  const cols = new Set(own.kind === 'columns' ? own.columns : []);
  for (const p of safetyOf(snap, t)?.partitions ?? []) {
    const id = identityOf(p.replicaIdentity, p);
    if (id.kind === 'columns') id.columns.forEach((c) => cols.add(c));
  }
  if (own.kind !== 'columns' && !(t.kind === 'p' && cols.size)) return null;
  return [...cols];
}

/** Whether the entry keeps UPDATE/DELETE working; otherwise says why in a decision (already broken) or refusal (the plan would break it). */
function keepsWritesWorking(t: TableInfo, before: Entry | undefined, wanted: Entry, snap: CatalogSnapshot, viaRoot: boolean, plan: Plan): boolean {
  const filter = safetyOf(snap, t)?.rowFilterColumns ?? [];
  const after = publishedWritesProblem(wanted.table, snap, wanted.columns, filter, viaRoot);
  if (!after) return true;
  const object = `${t.schema}.${t.name}`;
  const now = before ? publishedWritesProblem(t, snap, before.columns, filter, viaRoot) : null;
  if (!before) {
    plan.decisions.push({ object, detail: `not added to the publication: ${after}. Give it a replica identity first (ALTER TABLE ${qualifiedName(t.schema, t.name)} ADD PRIMARY KEY (…), or REPLICA IDENTITY FULL), then run fix-publication again`, leaves: ['publication.tables'] });
    return false;
  }
  if (now) {
    plan.decisions.push({ object, detail: `left as it is, already broken: ${now}. Fix its replica identity or row filter by hand`, leaves: ['publication.replica-identity'] });
    return false;
  }
  plan.refusals.push({ object, detail: `the planned column list would break it: ${after}. Nothing was changed; publish it without a column list (--full-tables no-column-list) or fix the replica identity first`, leaves: CHECKS });
  return false;
}

/**
 * Statements that give a re-created publication back what CREATE … FOR ALL TABLES does not say: its owner, its
 * comment, and (PostgreSQL 18) publish_generated_columns. The publish options and publish_via_partition_root
 * travel in withOptions. Words for the reason too.
 */
function keepProperties(snap: CatalogSnapshot, name: string): { sql: string[]; what: string } {
  const facts = snap.publicationSafety;
  if (!facts) return { sql: [], what: '' };
  // CREATE makes the connected role the owner: only a different owner needs restoring.
  const sql = facts.owner === snap.currentUser ? [] : [`ALTER PUBLICATION ${ident(name)} OWNER TO ${ident(facts.owner)}`];
  if (facts.comment !== null) sql.push(`COMMENT ON PUBLICATION ${ident(name)} IS ${literal(facts.comment)}`);
  if (facts.generatedColumns === 's') sql.push(`ALTER PUBLICATION ${ident(name)} SET (publish_generated_columns = stored)`);
  return { sql, what: `, owner ${facts.owner}${facts.comment !== null ? ' and comment' : ''}${facts.generatedColumns === 's' ? ' and publish_generated_columns' : ''}` };
}

function targetEntry(t: TableInfo, before: Entry | undefined, config: CampfireConfig, opts: PublicationOptions,
  plan: Plan, publishesChanges: boolean, steps: Step[], snap: CatalogSnapshot): Entry {
  const identityColumns = (x: TableInfo) => identityColumnsOf(x, snap);
  const object = `${t.schema}.${t.name}`;
  const rowFilter = before?.rowFilter ?? null;
  // Generated columns cannot be listed (Postgres 15–17) and Realtime does not need them.
  const candidates = t.columns.filter((c) => !c.generated);
  const nonScalar = candidates.filter((c) => !isScalar(c, config.scalarTypes));
  if (t.name.includes(' ')) {
    plan.decisions.push({ object, detail: 'Realtime skips tables whose name contains a space: rename it to stream its changes', leaves: ['publication.tables'] });
  }
  // A list that is already scalar-only and keeps UPDATE/DELETE working stays as the user chose it.
  if (before && alreadyFine(t, config, snap)) {
    noteIdentity(t, t.columns.filter((c) => c.published), identityColumns(t), config, plan);
    return before;
  }
  // Under publish_via_partition_root a FULL partition takes no column list either, whatever its root has.
  const leafFull = (snap.publication?.viaRoot ?? false) && (safetyOf(snap, t)?.partitions ?? []).some((p) => p.replicaIdentity === 'f');
  if ((t.replicaIdentity === 'f' || leafFull) && nonScalar.length) {
    if (opts.fullTables === 'no-column-list') {
      plan.decisions.push({ object, detail: `REPLICA IDENTITY FULL: published without a column list as you chose (--full-tables no-column-list); its non-scalar columns ${nonScalar.map((c) => c.name).join(', ')} stay published`, leaves: ['publication.scalar-columns'] });
      return { table: t, columns: null, rowFilter };
    }
    if (opts.fullTables === 'replica-identity-default' && t.primaryKey && !leafFull) {
      steps.push({
        id: `replica-identity:${object}`,
        title: `Switch ${object} to REPLICA IDENTITY DEFAULT`,
        reasons: [`${object} has REPLICA IDENTITY FULL, which allows no column list; you chose --replica-identity default (old records in UPDATE/DELETE events now carry only the primary key ${t.primaryKey.join(', ')})`],
        sql: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} REPLICA IDENTITY DEFAULT`],
        undo: [`ALTER TABLE ${qualifiedName(t.schema, t.name)} REPLICA IDENTITY FULL`],
        repairs: ['publication.replica-identity'],
      });
      return scalarEntry({ ...t, replicaIdentity: 'd' }, candidates, t.primaryKey, config, plan, rowFilter);
    }
    plan.refusals.push({
      object,
      detail: leafFull ? `a partition has REPLICA IDENTITY FULL, which under publish_via_partition_root allows no column list on ${object} (every UPDATE and DELETE would fail). Choose --full-tables no-column-list (publish it whole, non-scalar columns included) or give the partitions another replica identity first. Nothing was changed.` : `REPLICA IDENTITY FULL cannot carry a column list (every UPDATE and DELETE would fail). Choose one: --replica-identity default (switch to the primary key${t.primaryKey ? '' : ', which this table lacks: add one first'}; postgres_changes then sends only the key as the old record) or --full-tables no-column-list (publish it whole, non-scalar columns included). Nothing was changed.`,
      leaves: CHECKS,
    });
    return before ?? { table: t, columns: null, rowFilter };
  }
  if (!nonScalar.length) {
    // Everything it has is scalar: publish it whole (an existing list of the same columns is kept).
    const columns = t.replicaIdentity !== 'f' && before?.columns && sameSet(before.columns, candidates.map((c) => c.name)) ? before.columns : null;
    return { table: t, columns, rowFilter };
  }
  return scalarEntry(t, candidates, identityColumns(t), config, plan, rowFilter);
}

function alreadyFine(t: TableInfo, config: CampfireConfig, snap: CatalogSnapshot): boolean {
  const identity = new Set(identityColumnsOf(t, snap) ?? []);
  const published = t.columns.filter((c) => c.published);
  if (!published.every((c) => isScalar(c, config.scalarTypes) || identity.has(c.name))) return false;
  if (!t.hasColumnList) return true;
  return t.replicaIdentity !== 'f' && identityColumnsOf(t, snap) !== null && [...identity].every((n) => published.some((c) => c.name === n));
}

function scalarEntry(t: TableInfo, candidates: TableInfo['columns'], identity: string[] | null, config: CampfireConfig, plan: Plan,
  rowFilter: string | null): Entry {
  const keep = new Set(identity ?? []);
  const columns = candidates.filter((c) => isScalar(c, config.scalarTypes) || keep.has(c.name));
  noteIdentity(t, columns, identity, config, plan);
  return { table: t, columns: columns.map((c) => c.name), rowFilter };
}

/** Says what the plan cannot make scalar-only: a non-scalar identity column (a missing identity is keepsWritesWorking's). */
function noteIdentity(t: TableInfo, columns: TableInfo['columns'], identity: string[] | null, config: CampfireConfig, plan: Plan): void {
  const keep = new Set(identity ?? []);
  for (const c of columns.filter((c) => keep.has(c.name) && !isScalar(c, config.scalarTypes))) {
    plan.decisions.push({
      object: `${t.schema}.${t.name}.${c.name}`,
      detail: `non-scalar (${describeType(c)}) but part of the replica identity: kept in the column list so UPDATE and DELETE keep working`,
      leaves: ['publication.scalar-columns'],
    });
  }
}

function describeChange(t: TableInfo, before: Entry | undefined, after: Entry): string | null {
  const object = `${t.schema}.${t.name}`;
  if (!before) return `${object}: added${after.columns ? ` with columns ${after.columns.join(', ')}` : ' (all columns are scalar)'}`;
  if (sameEntry(before, after)) return null;
  if (!after.columns) return `${object}: published without a column list`;
  const dropped = t.columns.filter((c) => c.published && !after.columns!.includes(c.name)).map((c) => c.name);
  return `${object}: column list ${after.columns.join(', ')}${dropped.length ? ` (stops publishing ${dropped.join(', ')})` : ''}`;
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a.columns === null || b.columns === null) return a.columns === b.columns;
  return sameSet(a.columns, b.columns);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function entrySql(e: Entry): string {
  const cols = e.columns ? ` (${e.columns.map(ident).join(', ')})` : '';
  // pg_get_expr prints the filter as valid SQL; Postgres requires the parentheses.
  const where = e.rowFilter ? ` WHERE (${e.rowFilter})` : '';
  return `${qualifiedName(e.table.schema, e.table.name)}${cols}${where}`;
}

export function withOptions(pub: PublicationInfo): string {
  const publish = (['insert', 'update', 'delete', 'truncate'] as const).filter((op) => pub[op]).join(', ');
  return `WITH (publish = ${literal(publish)}, publish_via_partition_root = ${pub.viaRoot})`;
}
