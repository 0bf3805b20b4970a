import { readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from './catalog.js';
import { sqlPath } from '../paths.js';

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
  const { rows } = await client.query<{ snapshot: CatalogSnapshot }>(await snapshotSql, snapshotParams(config));
  const snap = rows[0]?.snapshot;
  if (!snap) throw new Error('the catalog snapshot query returned no row');
  return snap;
}
