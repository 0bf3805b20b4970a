import type { CatalogSnapshot, IdentityFacts, TableInfo, TableSafety } from '../../db/catalog.js';
import type { Check, Finding } from '../types.js';
import { tableObject } from './tables.js';

/**
 * What Postgres checks before an UPDATE or DELETE on a table published with UPDATE/DELETE
 * (CheckCmdReplicaIdentity, src/backend/executor/execReplication.c, and pub_collist_contains_invalid_column /
 * pub_rf_contains_invalid_column, src/backend/commands/publicationcmds.c):
 * - the relation the row lives in (a leaf partition, not its root) has a replica identity: an immediate
 *   primary key (a DEFERRABLE one is ignored), a valid immediate REPLICA IDENTITY USING INDEX, or FULL;
 * - a column list covers the identity's columns (and FULL allows no column list);
 * - a row filter references only identity columns (FULL covers every column).
 * Under publish_via_partition_root a partition is judged against its root's column list and row filter;
 * otherwise the partition has no list or filter of its own here and only needs an identity.
 */

/** The replica identity as Postgres uses it: its columns, every column (FULL), or none with the reason. */
export type Identity = { kind: 'columns'; columns: string[]; what: string } | { kind: 'full' } | { kind: 'none'; why: string };

/** A table's identity facts: its keys from the snapshot, minus what Postgres would not use (without the safety facts, taken as they are). */
export function tableIdentityFacts(t: TableInfo, snap?: CatalogSnapshot): IdentityFacts {
  const s = safetyOf(snap, t);
  return {
    primaryKey: s?.primaryKeyDeferrable ? null : t.primaryKey,
    primaryKeyDeferrable: s?.primaryKeyDeferrable ?? false,
    identityIndex: s && !s.identityIndexUsable ? null : (t.replicaIdentityIndex?.columns ?? null),
  };
}

export function identityOf(replident: TableInfo['replicaIdentity'], facts: IdentityFacts): Identity {
  switch (replident) {
    case 'f':
      return { kind: 'full' };
    case 'n':
      return { kind: 'none', why: 'REPLICA IDENTITY NOTHING' };
    case 'i': {
      const cols = facts.identityIndex;
      return cols ? { kind: 'columns', columns: cols, what: 'replica identity index' } : { kind: 'none', why: 'REPLICA IDENTITY USING INDEX, but the index is gone, invalid or deferrable' };
    }
    default: {
      const cols = facts.primaryKey;
      if (cols) return { kind: 'columns', columns: cols, what: 'primary key' };
      return facts.primaryKeyDeferrable
        ? { kind: 'none', why: 'its primary key is DEFERRABLE, which Postgres never uses as a replica identity' }
        : { kind: 'none', why: 'no primary key and REPLICA IDENTITY DEFAULT' };
    }
  }
}

/** Why UPDATE/DELETE fail on a relation with this identity, column list (null: none) and row filter columns. */
export function identityProblem(identity: Identity, columnList: string[] | null, filterColumns: string[]): string | null {
  if (identity.kind === 'none') return `${identity.why}: every UPDATE and DELETE fails ("does not have a replica identity and publishes updates")`;
  if (identity.kind === 'full') {
    return columnList ? 'REPLICA IDENTITY FULL with a column list: every UPDATE and DELETE fails (no column list is valid on a FULL table)' : null;
  }
  const missing = columnList ? identity.columns.filter((c) => !columnList.includes(c)) : [];
  if (missing.length) {
    return `column list omits ${identity.what} column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: every UPDATE and DELETE fails ("Column list used by the publication does not cover the replica identity")`;
  }
  const outside = filterColumns.filter((c) => !identity.columns.includes(c));
  if (outside.length) {
    return `row filter uses ${outside.join(', ')}, outside the ${identity.what} (${identity.columns.join(', ')}): every UPDATE and DELETE fails ("Column used in the publication WHERE expression is not part of the replica identity")`;
  }
  return null;
}

export function safetyOf(snap: CatalogSnapshot | undefined, t: { schema: string; name: string }): TableSafety | undefined {
  return snap?.tableSafety?.find((s) => s.schema === t.schema && s.name === t.name);
}

/**
 * Why UPDATE/DELETE would fail on table `t` if published with `columnList` (null: whole table) and a row
 * filter over `filterColumns`, or null when they work. A partitioned table is judged on each leaf.
 */
export function publishedWritesProblem(t: TableInfo, snap: CatalogSnapshot | undefined, columnList: string[] | null, filterColumns: string[], viaRoot: boolean): string | null {
  const facts = safetyOf(snap, t);
  if (t.kind === 'p' && facts?.partitions) {
    const problems = facts.partitions.flatMap((p) => {
      const problem = identityProblem(identityOf(p.replicaIdentity, p), viaRoot ? columnList : null, viaRoot ? filterColumns : []);
      return problem ? [`partition ${p.schema}.${p.name}: ${problem}`] : [];
    });
    return problems.length ? problems.join('; ') : null;
  }
  return identityProblem(identityOf(t.replicaIdentity, tableIdentityFacts(t, snap)), columnList, filterColumns);
}

/** Why UPDATE/DELETE fail on a published table as it is published today, or null when they work (docs/realtime-facts.md §2). */
export function replicaIdentityProblem(t: TableInfo, snap?: CatalogSnapshot): string | null {
  const list = t.hasColumnList ? t.columns.filter((c) => c.published).map((c) => c.name) : null;
  return publishedWritesProblem(t, snap, list, safetyOf(snap, t)?.rowFilterColumns ?? [], snap?.publication?.viaRoot ?? false);
}

export const publicationReplicaIdentity: Check<'database'> = {
  id: 'publication.replica-identity',
  section: 'beyond',
  title: 'Published tables keep UPDATE and DELETE working',
  verifies:
    'Every published table (each partition of a partitioned one) has a replica identity Postgres uses (a DEFERRABLE primary key is not one), its column list covers it, its row filter uses only its columns, and no REPLICA IDENTITY FULL table has a column list.',
  guideRef: "Beyond the guide: the guide's column lists can make every UPDATE on a table fail (Postgres 15+)",
  fix: 'campfire fix-publication',
  input: 'database',
  judge(snap, config) {
    const pub = snap.publication;
    if (!pub) return { status: 'skip', summary: `publication ${config.publication} does not exist (see publication.exists)` };
    // Postgres only demands a replica identity for the operations the publication publishes.
    if (!pub.update && !pub.delete) {
      return { status: 'pass', summary: `publication ${pub.name} publishes neither UPDATE nor DELETE, so no replica identity is required` };
    }
    const published = snap.tables.filter((t) => t.published);
    const findings: Finding[] = published.flatMap((t) => {
      const problem = replicaIdentityProblem(t, snap);
      return problem ? [{ object: tableObject(t), detail: problem }] : [];
    });
    if (findings.length) {
      return { status: 'fail', summary: `${findings.length} published table${findings.length === 1 ? '' : 's'} where writes fail`, findings };
    }
    return { status: 'pass', summary: `UPDATE and DELETE work on all ${published.length} published tables` };
  },
};
