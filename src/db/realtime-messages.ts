import { readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import { sqlPath } from '../paths.js';
import type { CatalogSnapshot, PolicyFolding, RealtimeMessagesInfo, TableInfo } from './catalog.js';
import { foldPolicies } from './policy-folding.js';

let sql: Promise<string> | undefined;

/**
 * Reads realtime.messages (sql/realtime-authorization.sql) on the snapshot's transaction, and asks the
 * planner what its policy expressions fold to, the same way as for the guide's tables.
 */
export async function readRealtimeMessages(client: ClientBase, config: CampfireConfig, snap: CatalogSnapshot): Promise<{ messages: RealtimeMessagesInfo | null; folding: PolicyFolding[] }> {
  sql ??= readFile(sqlPath('realtime-authorization.sql'), 'utf8');
  const { rows } = await client.query<{ messages: (RealtimeMessagesInfo & { explainable: boolean }) | null }>(await sql, [[config.roles.anon, config.roles.authenticated]]);
  const wire = rows[0]?.messages ?? null;
  if (!wire) return { messages: null, folding: [] };
  const { explainable, ...messages } = wire;
  // foldPolicies folds the guide's tables of a snapshot: hand it this one table as such.
  const table = { ...messages, isGuideTable: true } as TableInfo;
  const folding = await foldPolicies(client, {
    ...snap,
    tables: [table],
    explainableTables: explainable ? [{ schema: 'realtime', table: 'messages' }] : [],
  });
  return { messages, folding };
}
