import { readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot, ColumnInfo, TableInfo } from './catalog.js';
import { sqlPath } from '../paths.js';
import { foldPolicies } from './policy-folding.js';
import { readRealtimeMessages } from './realtime-messages.js';
import { askStrangers } from './realtime-strangers.js';
import { DEFAULT_CHANNEL_NAMING } from '../client/config.js';

let snapshotSql: Promise<string> | undefined;

/** Parameters of sql/snapshot.sql, in order, from the config. */
export function snapshotParams(config: CampfireConfig): unknown[] {
  return [
    config.schema,
    Object.values(config.tables),
    config.publication,
    Object.values(config.roles),
    [config.functions.sync, config.functions.updatedAt],
  ];
}

/** Reads the whole catalog the checks need in one round trip, on whatever transaction the caller holds. */
export async function readSnapshot(client: ClientBase, config: CampfireConfig): Promise<CatalogSnapshot> {
  snapshotSql ??= readFile(sqlPath('snapshot.sql'), 'utf8');
  const { rows } = await client.query<{ snapshot: WireSnapshot }>(await snapshotSql, snapshotParams(config));
  const wire = rows[0]?.snapshot;
  if (!wire) throw new Error('the catalog snapshot query returned no row');
  const snap = inflate(wire);
  snap.policyFolding = await foldPolicies(client, snap);
  const realtime = await readRealtimeMessages(client, config, snap);
  snap.realtimeMessages = realtime.messages;
  snap.policyFolding.push(...realtime.folding);
  if (realtime.messages) snap.realtimeStrangers = await askStrangers(client, realtime.messages, config.roles, config.channels ?? DEFAULT_CHANNEL_NAMING);
  return snap;
}

/** Columns arrive as [attnum, name, type oid, declared type or null, published, generated]. */
type WireColumn = [number, string, number, string | null, boolean, boolean];

/** A type once per snapshot: its display name and what its base type is after resolving domains. */
type WireType = { oid: number; display: string } & Pick<
  ColumnInfo,
  'baseSchema' | 'baseName' | 'baseType' | 'baseKind' | 'baseCategory' | 'isDomain'
>;

type WireTable = Omit<TableInfo, 'columns' | 'primaryKey' | 'replicaIdentityIndex'> & {
  /** The table's place in the snapshot's order (schema, name), across tables and publishedTables. */
  ord: number;
  columns: WireColumn[];
  primaryKey: number[] | null;
  replicaIdentityIndex: { name: string; attnums: number[] } | null;
};

/**
 * A published table that is not one of the guide's, as the positional array sql/snapshot.sql sends:
 * [ord, schema, name, kind, owner, row filter, has column list, replica identity, RLS enabled, RLS forced,
 * primary key attnums, replica identity index, columns].
 */
type WirePublishedTable = [
  number, string, string, string, string, string | null, boolean, TableInfo['replicaIdentity'], boolean, boolean,
  number[] | null, WireTable['replicaIdentityIndex'], WireColumn[],
];

export type WireSnapshot = Omit<CatalogSnapshot, 'tables' | 'policyFolding'> & { tables: WireTable[]; publishedTables?: WirePublishedTable[]; types: WireType[] };

/**
 * The TableInfo fields of a published table that is not the guide's. It has no policies, grants or
 * triggers listed (the snapshot reads those for the guide's tables only, as it always has) and no ACL.
 */
function publishedTable(w: WirePublishedTable): WireTable {
  const [ord, schema, name, kind, owner, rowFilter, hasColumnList, replicaIdentity, rlsEnabled, rlsForced, primaryKey, replicaIdentityIndex, columns] = w;
  return {
    ord, schema, name, kind, owner, isGuideTable: false, published: true, rowFilter, hasColumnList, replicaIdentity,
    rlsEnabled, rlsForced, primaryKey, replicaIdentityIndex, columns, policies: [], privileges: [], triggers: [],
  };
}

/**
 * The query ships each type once and columns as arrays, because a large publication has tens of
 * thousands of columns; here they become the plain objects the checks read.
 */
export function inflate(wire: WireSnapshot): CatalogSnapshot {
  const types = new Map(wire.types.map((t) => [t.oid, t]));
  const { types: _types, publishedTables, ...rest } = wire;
  // One list in the snapshot's (schema, name) order, as the checks have always seen it.
  const all = publishedTables?.length ? [...wire.tables, ...publishedTables.map(publishedTable)].sort((a, b) => a.ord - b.ord) : wire.tables;
  return {
    ...rest,
    policyFolding: [],
    tables: all.map(({ ord: _ord, ...t }) => {
      const byNum = new Map<number, string>();
      const columns: ColumnInfo[] = t.columns.map(([attnum, name, typeOid, declared, published, generated]) => {
        byNum.set(attnum, name);
        const ty = types.get(typeOid);
        if (!ty) throw new Error(`type ${typeOid} of ${t.schema}.${t.name}.${name} missing from the snapshot`);
        // Every field named (no rest/spread): one object shape for tens of thousands of columns, built
        // without a temporary copy of the type per column.
        return {
          name, type: declared ?? ty.display, generated, published,
          baseSchema: ty.baseSchema, baseName: ty.baseName, baseType: ty.baseType, baseKind: ty.baseKind,
          baseCategory: ty.baseCategory, isDomain: ty.isDomain,
        };
      });
      // attnum 0 in an index key is an expression, which a primary key or replica identity cannot have.
      const names = (nums: number[]) => nums.map((n) => byNum.get(n) ?? `#${n}`);
      return {
        ...t,
        columns,
        primaryKey: t.primaryKey ? names(t.primaryKey) : null,
        replicaIdentityIndex: t.replicaIdentityIndex
          ? { name: t.replicaIdentityIndex.name, columns: names(t.replicaIdentityIndex.attnums) }
          : null,
      };
    }),
  };
}
