import { readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot, ColumnInfo, TableInfo } from './catalog.js';
import { sqlPath } from '../paths.js';
import { foldPolicies } from './policy-folding.js';
import { readRealtimeMessages } from './realtime-messages.js';
import { askStrangers } from './realtime-strangers.js';

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
  if (realtime.messages) snap.realtimeStrangers = await askStrangers(client, realtime.messages, config.roles, 'bcast:org:');
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
  columns: WireColumn[];
  primaryKey: number[] | null;
  replicaIdentityIndex: { name: string; attnums: number[] } | null;
};

type WireSnapshot = Omit<CatalogSnapshot, 'tables' | 'policyFolding'> & { tables: WireTable[]; types: WireType[] };

/**
 * The query ships each type once and columns as arrays, because a large publication has tens of
 * thousands of columns; here they become the plain objects the checks read.
 */
function inflate(wire: WireSnapshot): CatalogSnapshot {
  const types = new Map(wire.types.map((t) => [t.oid, t]));
  const { types: _types, ...rest } = wire;
  return {
    ...rest,
    policyFolding: [],
    tables: wire.tables.map((t) => {
      const byNum = new Map<number, string>();
      const columns: ColumnInfo[] = t.columns.map(([attnum, name, typeOid, declared, published, generated]) => {
        byNum.set(attnum, name);
        const ty = types.get(typeOid);
        if (!ty) throw new Error(`type ${typeOid} of ${t.schema}.${t.name}.${name} missing from the snapshot`);
        const { oid: _oid, display, ...base } = ty;
        return { name, type: declared ?? display, generated, published, ...base };
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
