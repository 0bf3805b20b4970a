import { fullCatalog } from '../support/catalog.js';
import { withClient, type TestDb } from '../support/db.js';

/**
 * Everything the probe could conceivably change, read as text: the catalog objects the guide's tables
 * depend on and every row of the guide's tables. Sequences are left out on purpose (a rolled-back
 * nextval() is not undone; the README documents it).
 */
export async function databaseState(url: string): Promise<Record<string, unknown>> {
  return withClient(url, async (c) => {
    const rows = async (sql: string) => (await c.query(sql)).rows;
    const query = (async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows) as TestDb['query'];
    // The drills' whole-catalog read (every non-system schema), minus the cluster-wide role list that
    // other test files change concurrently; plus the narrower reads below and every row.
    const { roles: _cluster, ...catalog } = await fullCatalog({ query } as TestDb);
    return {
      catalog,
      classes: await rows(`select c.relname, c.relkind, c.relacl::text, c.relrowsecurity, c.relforcerowsecurity, c.relreplident
                             from pg_class c join pg_namespace n on n.oid = c.relnamespace
                            where n.nspname = 'public' and c.relkind <> 'S' order by 1`),
      columns: await rows(`select c.relname, a.attname, a.attnotnull, a.atthasdef, a.attacl::text from pg_attribute a join pg_class c on c.oid = a.attrelid
                            join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and a.attnum > 0 order by 1, 2`),
      policies: await rows('select * from pg_policies order by schemaname, tablename, policyname'),
      publication: await rows('select * from pg_publication_tables order by 1, 2, 3'),
      functions: await rows(`select proname, prosecdef, proconfig::text, proacl::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1`),
      triggers: await rows('select tgname, tgenabled, tgrelid::regclass::text from pg_trigger where not tgisinternal order by 1'),
      conversations: await rows('select * from conversations order by id'),
      messages: await rows('select * from messages order by id'),
      realtime: await rows('select * from realtime_conversations order by id'),
    };
  });
}
