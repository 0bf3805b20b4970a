-- campfire catalog snapshot: everything the database checks read, gathered in one round trip.
--
-- Only the guide's tables, the publication's tables and the configured schema's functions are read,
-- so objects that have nothing to do with realtime cost nothing. Publication membership comes from
-- pg_publication_rel (the pg_publication_tables view is ~20x slower on large publications); the
-- pg_get_publication_tables() function is used only for FOR ALL TABLES / FOR TABLES IN SCHEMA.
--
-- Parameters:
--   $1 text    schema of the guide's tables and functions (public)
--   $2 text[]  the guide's tables (conversations, messages, realtime_conversations)
--   $3 text    publication (supabase_realtime)
--   $4 text[]  roles (anon, authenticated, service_role)
--   $5 text[]  functions the guide names (sync_realtime_conversations, update_updated_at_column)
-- To run it by hand: PREPARE snapshot(text, text[], text, text[], text[]) AS <this file>;
--                    EXECUTE snapshot('public', '{conversations,messages,realtime_conversations}', ...);
with recursive
pub as (
  select p.oid, p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
         p.pubviaroot,
         exists (select 1 from pg_publication_namespace pn where pn.pnpubid = p.oid) as has_schemas
  from pg_publication p
  where p.pubname = $3
),
pub_rel as (
  select pr.prrelid as relid, pr.prattrs::int2[] as attrs, pg_get_expr(pr.prqual, pr.prrelid) as rowfilter
  from pg_publication_rel pr
  join pub on pub.oid = pr.prpubid
  union all
  select t.relid, null::int2[], null::text
  from pub
  cross join lateral pg_get_publication_tables(pub.pubname::text) t
  where (pub.puballtables or pub.has_schemas)
    and not exists (select 1 from pg_publication_rel pr where pr.prpubid = pub.oid and pr.prrelid = t.relid)
),
rel_ids as (
  select c.oid
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1 and c.relname = any($2)
  union
  select relid from pub_rel
),
rels as (
  select c.oid, n.nspname, c.relname, c.relkind, c.relreplident, c.relrowsecurity, c.relforcerowsecurity, c.relacl,
         pg_get_userbyid(c.relowner) as owner,
         (n.nspname = $1 and c.relname = any($2)) as is_guide_table,
         pr.relid is not null as published, pr.attrs, pr.rowfilter,
         -- The tables' order in the snapshot (guide tables and other published tables travel apart).
         row_number() over (order by n.nspname, c.relname) as ord
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pub_rel pr on pr.relid = c.oid
  -- An array rather than a join: the planner then probes pg_class by oid instead of scanning it whole.
  where c.oid = any (array(select oid from rel_ids))
),
cols as (
  select a.attrelid, a.attnum, a.attname, a.atttypid,
         -- Only a type modifier (varchar(20), numeric(12,2)) needs format_type per column; the rest
         -- share their type's display name from "types".
         case when a.atttypmod <> -1 then format_type(a.atttypid, a.atttypmod) end as declared_type,
         a.attgenerated <> '' as generated
  from pg_attribute a
  -- A join, not IN (select …): the planner can then hash the few thousand published tables once instead
  -- of probing them per attribute row.
  join rels r on r.oid = a.attrelid
  where a.attnum > 0 and not a.attisdropped
),
-- Walk each column type down through domains (a domain may sit on another domain) to its base type.
-- The recursion runs over domains only, a handful of rows however many tables exist.
domains as (
  select oid, typbasetype from pg_type where typtype = 'd'
),
dom(typid, cur, depth) as (
  select t.typid, t.typid, 0 from (select distinct atttypid as typid from cols) t
  union all
  select d.typid, dm.typbasetype, d.depth + 1
  from dom d
  join domains dm on dm.oid = d.cur
  where d.depth < 32
),
types as (
  select distinct on (d.typid) d.typid, format_type(d.typid, null) as display, ty.oid as base_oid,
         bn.nspname as base_schema, ty.typname as base_name, ty.typtype as base_typtype,
         ty.typcategory as base_category, format_type(ty.oid, null) as base_display
  from dom d
  join pg_type ty on ty.oid = d.cur
  join pg_namespace bn on bn.oid = ty.typnamespace
  order by d.typid, d.depth desc
),
ident as (
  select i.indrelid, i.indisprimary, i.indisreplident, i.indkey::int2[] as attnums,
         -- only a replica identity index is named in findings; primary keys are not worth the lookup
         case when i.indisreplident then (select ic.relname from pg_class ic where ic.oid = i.indexrelid) end as index_name
  from pg_index i
  join rels r on r.oid = i.indrelid
  where (i.indisprimary or i.indisreplident)
),
-- One row per table for each per-table list, joined by oid below, so the cost grows with the number
-- of published tables, never with their square. Columns travel as compact arrays
-- [attnum, name, type oid, declared type or null, published, generated]: a published schema has tens
-- of thousands of them.
table_columns as (
  select c.attrelid as relid, json_agg(json_build_array(
      c.attnum, c.attname, c.atttypid, c.declared_type,
      r.published and (case when r.attrs is null then not c.generated else c.attnum = any(r.attrs) end),
      c.generated) order by c.attnum) as columns
  from cols c
  join rels r on r.oid = c.attrelid
  group by c.attrelid
),
primary_keys as (
  select indrelid as relid, attnums from ident where indisprimary
),
identity_indexes as (
  select indrelid as relid, json_build_object('name', index_name, 'attnums', attnums) as index
  from ident where indisreplident
),
wanted_roles as (
  select r.oid, r.rolname, r.rolsuper, r.rolbypassrls, r.rolcanlogin
  from pg_roles r
  where r.rolname = any($4)
)
select json_build_object(
  'serverVersionNum', current_setting('server_version_num')::int,
  'serverVersion', split_part(current_setting('server_version'), ' ', 1),
  'database', current_database(),
  'currentUser', current_user,
  'schemaExists', exists (select 1 from pg_namespace where nspname = $1),
  'publication', (select json_build_object(
      'name', pubname, 'allTables', puballtables, 'hasSchemas', has_schemas,
      'insert', pubinsert, 'update', pubupdate, 'delete', pubdelete, 'truncate', pubtruncate,
      'viaRoot', pubviaroot) from pub),
  -- The guide's tables, as objects; every other published table is in publishedTables below.
  'tables', coalesce((select json_agg(json_build_object(
      'ord', r.ord,
      'schema', r.nspname, 'name', r.relname, 'kind', r.relkind, 'owner', r.owner,
      'isGuideTable', r.is_guide_table, 'published', r.published, 'rowFilter', r.rowfilter,
      'hasColumnList', r.attrs is not null,
      'replicaIdentity', r.relreplident, 'rlsEnabled', r.relrowsecurity, 'rlsForced', r.relforcerowsecurity,
      'acl', r.relacl::text[],
      'primaryKey', pk.attnums,
      'replicaIdentityIndex', ii.index,
      'columns', coalesce(tc.columns, '[]'::json),
      'policies', coalesce((select json_agg(json_build_object(
          'name', p.polname,
          'command', case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                                   when 'd' then 'DELETE' else 'ALL' end,
          'permissive', p.polpermissive,
          'roles', (select array_agg(case when ro = 0 then 'public' else pg_get_userbyid(ro) end order by ro)
                      from unnest(p.polroles) ro),
          'using', pg_get_expr(p.polqual, p.polrelid),
          'check', pg_get_expr(p.polwithcheck, p.polrelid)) order by p.polname)
        from pg_policy p where p.polrelid = r.oid and r.is_guide_table), '[]'::json),
      'privileges', coalesce((select json_agg(json_build_object(
          'role', wr.rolname, 'privilege', pv.privilege,
          'granted', has_table_privilege(wr.oid, r.oid, pv.privilege)) order by wr.rolname, pv.ord)
        from wanted_roles wr
        cross join unnest(array['SELECT','INSERT','UPDATE','DELETE']) with ordinality pv(privilege, ord)
        where r.is_guide_table), '[]'::json),
      'triggers', coalesce((select json_agg(json_build_object(
          'name', t.tgname, 'enabled', t.tgenabled,
          'functionSchema', fn.nspname, 'functionName', f.proname) order by t.tgname)
        from pg_trigger t
        join pg_proc f on f.oid = t.tgfoid
        join pg_namespace fn on fn.oid = f.pronamespace
        where t.tgrelid = r.oid and not t.tgisinternal and r.is_guide_table), '[]'::json)
    ) order by r.nspname, r.relname)
    from rels r
    left join table_columns tc on tc.relid = r.oid
    left join primary_keys pk on pk.relid = r.oid
    left join identity_indexes ii on ii.relid = r.oid
    where r.is_guide_table), '[]'::json),
  -- The other published tables: a large publication has thousands, and none of them has the guide's
  -- policies, grants or triggers to report, so each is a positional array (src/db/snapshot.ts names the
  -- fields): [ord, schema, name, kind, owner, row filter, has column list, replica identity, RLS enabled,
  -- RLS forced, acl, primary key attnums, replica identity index, columns].
  'publishedTables', coalesce((select json_agg(json_build_array(
      r.ord, r.nspname, r.relname, r.relkind, r.owner, r.rowfilter, r.attrs is not null, r.relreplident,
      r.relrowsecurity, r.relforcerowsecurity, r.relacl::text[], pk.attnums, ii.index, coalesce(tc.columns, '[]'::json)))
    from rels r
    left join table_columns tc on tc.relid = r.oid
    left join primary_keys pk on pk.relid = r.oid
    left join identity_indexes ii on ii.relid = r.oid
    where not r.is_guide_table), '[]'::json),
  'types', coalesce((select json_agg(json_build_object(
      'oid', typid, 'display', display, 'baseSchema', base_schema, 'baseName', base_name,
      'baseType', base_display, 'baseKind', base_typtype, 'baseCategory', base_category,
      'isDomain', base_oid <> typid)) from types), '[]'::json),
  'roles', coalesce((select json_agg(json_build_object(
      'name', rolname, 'superuser', rolsuper, 'bypassRls', rolbypassrls, 'canLogin', rolcanlogin)
      order by rolname) from wanted_roles), '[]'::json),
  'functions', coalesce((select json_agg(json_build_object(
      'schema', n.nspname, 'name', p.proname,
      'arguments', pg_get_function_identity_arguments(p.oid),
      'returns', format_type(p.prorettype, null),
      'language', l.lanname, 'owner', pg_get_userbyid(p.proowner),
      'securityDefiner', p.prosecdef, 'config', p.proconfig) order by p.proname, p.oid)
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where n.nspname = $1 and p.prokind = 'f' and (p.proname = any($5) or p.prosecdef)), '[]'::json)
) as snapshot
