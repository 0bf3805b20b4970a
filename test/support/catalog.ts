import type { TestDb } from './db.js';

/**
 * Everything a fix could change, read by name (never by oid) from the base catalogs of every
 * non-system schema: relations with their ACL, RLS, replica identity and owner; columns with their
 * ACLs; indexes; policies; publications with their tables, column lists and row filters; functions
 * with SECURITY DEFINER, settings, ACL and body; triggers; schema ACLs; default ACLs; roles. Wider
 * than the snapshot the checks read, so a drill that compares two of these notices any stray change.
 */
const FULL_CATALOG_SQL = `
with rels as (
  select c.oid, n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%'
)
select jsonb_build_object(
  'relations', (select coalesce(jsonb_agg(jsonb_build_object('name', r.nspname || '.' || r.relname, 'kind', c.relkind,
      'acl', c.relacl::text, 'rls', c.relrowsecurity, 'forceRls', c.relforcerowsecurity, 'replident', c.relreplident,
      'owner', c.relowner::regrole::text) order by r.nspname, r.relname), '[]') from rels r join pg_class c on c.oid = r.oid),
  'columns', (select coalesce(jsonb_agg(jsonb_build_object('rel', r.nspname || '.' || r.relname, 'col', a.attname,
      'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull, 'acl', a.attacl::text) order by r.nspname, r.relname, a.attnum), '[]')
    from rels r join pg_attribute a on a.attrelid = r.oid where a.attnum > 0 and not a.attisdropped),
  'indexes', (select coalesce(jsonb_agg(jsonb_build_object('rel', r.nspname || '.' || r.relname, 'def', pg_get_indexdef(i.indexrelid),
      'primary', i.indisprimary, 'replident', i.indisreplident) order by 1), '[]') from rels r join pg_index i on i.indrelid = r.oid),
  'policies', (select coalesce(jsonb_agg(jsonb_build_object('rel', r.nspname || '.' || r.relname, 'name', p.polname, 'cmd', p.polcmd,
      'permissive', p.polpermissive, 'roles', (select array_agg(case when x = 0 then 'public' else x::regrole::text end order by 1) from unnest(p.polroles) x),
      'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)) order by r.nspname, r.relname, p.polname), '[]')
    from rels r join pg_policy p on p.polrelid = r.oid),
  'publications', (select coalesce(jsonb_agg(jsonb_build_object('name', p.pubname, 'allTables', p.puballtables, 'owner', p.pubowner::regrole::text,
      'ops', array[p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate], 'viaRoot', p.pubviaroot,
      'tables', (select coalesce(jsonb_agg(jsonb_build_object('rel', pr.prrelid::regclass::text,
          'columns', (select array_agg(a.attname order by a.attnum) from pg_attribute a where a.attrelid = pr.prrelid and a.attnum = any(pr.prattrs)),
          'filter', pg_get_expr(pr.prqual, pr.prrelid)) order by pr.prrelid::regclass::text), '[]') from pg_publication_rel pr where pr.prpubid = p.oid))
    order by p.pubname), '[]') from pg_publication p),
  'functions', (select coalesce(jsonb_agg(jsonb_build_object('name', n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
      'secdef', p.prosecdef, 'config', p.proconfig, 'acl', p.proacl::text, 'owner', p.proowner::regrole::text, 'body', md5(p.prosrc))
    order by n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), '[]')
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname not in ('pg_catalog', 'information_schema')),
  'triggers', (select coalesce(jsonb_agg(jsonb_build_object('rel', r.nspname || '.' || r.relname, 'name', t.tgname, 'enabled', t.tgenabled,
      'def', pg_get_triggerdef(t.oid)) order by r.nspname, r.relname, t.tgname), '[]') from rels r join pg_trigger t on t.tgrelid = r.oid),
  'schemas', (select jsonb_agg(jsonb_build_object('name', nspname, 'acl', nspacl::text, 'owner', nspowner::regrole::text) order by nspname) from pg_namespace),
  'defaultAcls', (select coalesce(jsonb_agg(jsonb_build_object('role', defaclrole::regrole::text, 'schema', defaclnamespace, 'type', defaclobjtype,
      'acl', defaclacl::text) order by 1), '[]') from pg_default_acl),
  'roles', (select jsonb_agg(jsonb_build_object('name', rolname, 'super', rolsuper, 'login', rolcanlogin, 'bypassRls', rolbypassrls, 'inherit', rolinherit)
    order by rolname) from pg_roles)
) as catalog`;

export type FullCatalog = Record<string, unknown>;

export async function fullCatalog(db: TestDb): Promise<FullCatalog> {
  const rows = await db.query<{ catalog: FullCatalog }>(FULL_CATALOG_SQL);
  return rows[0]!.catalog;
}

/** The server notices a killed client's socket and aborts its transaction; wait until its backend is gone. */
export async function campfireBackendsGone(db: TestDb): Promise<void> {
  for (;;) {
    const rows = await db.query(`select 1 from pg_stat_activity where datname = $1 and application_name = 'campfire'`, [db.name]);
    if (!rows.length) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}
