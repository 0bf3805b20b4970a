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
         pr.relid is not null as published, pr.attrs, pr.rowfilter
  from rel_ids r
  join pg_class c on c.oid = r.oid
  join pg_namespace n on n.oid = c.relnamespace
  left join pub_rel pr on pr.relid = c.oid
),
cols as (
  select a.attrelid, a.attnum, a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod) as declared_type,
         a.attgenerated <> '' as generated
  from pg_attribute a
  where a.attrelid in (select oid from rels) and a.attnum > 0 and not a.attisdropped
),
-- Walk each column type down through domains (a domain may sit on another domain) to its base type.
dom(typid, cur, depth) as (
  select t.typid, t.typid, 0 from (select distinct atttypid as typid from cols) t
  union all
  select d.typid, ty.typbasetype, d.depth + 1
  from dom d
  join pg_type ty on ty.oid = d.cur
  where ty.typtype = 'd' and d.depth < 32
),
base_types as (
  select distinct on (d.typid) d.typid, ty.oid as base_oid, bn.nspname as base_schema, ty.typname as base_name,
         ty.typtype as base_typtype, ty.typcategory as base_category,
         format_type(ty.oid, null) as base_display
  from dom d
  join pg_type ty on ty.oid = d.cur
  join pg_namespace bn on bn.oid = ty.typnamespace
  order by d.typid, d.depth desc
),
ident as (
  select i.indrelid, i.indisprimary, i.indisreplident, ic.relname as index_name,
         (select array_agg(a.attname order by k.ord)
            from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum) as columns
  from pg_index i
  join pg_class ic on ic.oid = i.indexrelid
  where i.indrelid in (select oid from rels) and (i.indisprimary or i.indisreplident)
),
wanted_roles as (
  select r.oid, r.rolname, r.rolsuper, r.rolbypassrls, r.rolcanlogin
  from pg_roles r
  where r.rolname = any($4)
)
select json_build_object(
  'serverVersionNum', current_setting('server_version_num')::int,
  'serverVersion', current_setting('server_version'),
  'database', current_database(),
  'currentUser', current_user,
  'schemaExists', exists (select 1 from pg_namespace where nspname = $1),
  'publication', (select json_build_object(
      'name', pubname, 'allTables', puballtables, 'hasSchemas', has_schemas,
      'insert', pubinsert, 'update', pubupdate, 'delete', pubdelete, 'truncate', pubtruncate,
      'viaRoot', pubviaroot) from pub),
  'tables', coalesce((select json_agg(json_build_object(
      'schema', r.nspname, 'name', r.relname, 'kind', r.relkind, 'owner', r.owner,
      'isGuideTable', r.is_guide_table, 'published', r.published, 'rowFilter', r.rowfilter,
      'hasColumnList', r.attrs is not null,
      'replicaIdentity', r.relreplident, 'rlsEnabled', r.relrowsecurity, 'rlsForced', r.relforcerowsecurity,
      'acl', r.relacl::text[],
      'primaryKey', (select i.columns from ident i where i.indrelid = r.oid and i.indisprimary),
      'replicaIdentityIndex', (select json_build_object('name', i.index_name, 'columns', i.columns)
                                 from ident i where i.indrelid = r.oid and i.indisreplident),
      'columns', coalesce((select json_agg(json_build_object(
          'name', c.attname, 'type', c.declared_type, 'generated', c.generated,
          'published', r.published and (case when r.attrs is null then not c.generated
                                             else c.attnum = any(r.attrs) end),
          'baseSchema', b.base_schema, 'baseName', b.base_name, 'baseType', b.base_display,
          'baseKind', b.base_typtype, 'baseCategory', b.base_category,
          'isDomain', b.base_oid <> c.atttypid) order by c.attnum)
        from cols c join base_types b on b.typid = c.atttypid
        where c.attrelid = r.oid), '[]'::json),
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
    ) order by r.nspname, r.relname) from rels r), '[]'::json),
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
