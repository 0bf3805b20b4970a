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
),
-- What the fixes need to plan without harm (replica identity as Postgres really uses it, who holds
-- privileges, what an undo must restore). Kept apart from the checks' fields above.
-- An index is a replica identity only when it is immediate: Postgres ignores a DEFERRABLE primary key
-- (RelationGetIndexList keeps rd_pkindex only for indimmediate indexes). Set-based: one pass over
-- pg_index for every table read, whatever the size of the publication.
safety_ident as materialized (
  select i.indrelid as relid,
         bool_or(i.indisprimary and not i.indimmediate) as pk_deferrable,
         bool_or(i.indisreplident and i.indimmediate and i.indisvalid) as ident_usable
  from pg_index i
  where i.indrelid = any (array(select oid from rels)) and (i.indisprimary or i.indisreplident)
  group by i.indrelid
),
-- Each leaf partition of a partitioned table read here has its own replica identity (a handful of rows).
partition_identity as materialized (
  select r.oid as root, pc.oid as relid, pn.nspname, pc.relname, pc.relreplident,
         (select array_agg(a.attname::text order by k.ord)
            from pg_index i
            cross join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
           where i.indrelid = pc.oid and i.indisprimary and i.indimmediate) as primary_key,
         exists (select 1 from pg_index i where i.indrelid = pc.oid and i.indisprimary and not i.indimmediate) as pk_deferrable,
         (select array_agg(a.attname::text order by k.ord)
            from pg_index i
            cross join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
           where i.indrelid = pc.oid and i.indisreplident and i.indimmediate and i.indisvalid) as identity_index
  from (select oid from rels where relkind = 'p') r
  cross join lateral pg_partition_tree(r.oid) t
  join pg_class pc on pc.oid = t.relid
  join pg_namespace pn on pn.oid = pc.relnamespace
  where t.isleaf
),
-- Column names a row filter references (Var nodes in prqual): UPDATE/DELETE fail unless the replica identity covers them.
safety_rowfilter as (
  select pr.prrelid as relid,
         (select array_agg(distinct a.attname::text)
            from regexp_matches(pr.prqual::text, ':varattno (\d+)', 'g') m
            join pg_attribute a on a.attrelid = pr.prrelid and a.attnum = m[1]::int) as columns
  from pg_publication_rel pr
  join pub on pub.oid = pr.prpubid
  where pr.prqual is not null
),
-- Every role holding a privilege on a guide table, table-level (relacl, the owner's default when null)
-- and column-level (attacl), with what lets it bypass row level security.
safety_grants as materialized (
  select r.oid as relid, x.grantee, x.privilege_type, null::text as column_name
  from rels r
  cross join lateral aclexplode(coalesce(r.relacl, acldefault('r', (select relowner from pg_class where oid = r.oid)))) x
  where r.is_guide_table
  union all
  select r.oid, x.grantee, x.privilege_type, a.attname::text
  from rels r
  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null
  cross join lateral aclexplode(a.attacl) x
  where r.is_guide_table
),
-- ---- Verdict inputs: what policy semantics, column grants, trigger events, function exposure and the
-- ---- performance checks read. Each is its own top-level key so the table objects above stay as they are.
verdict_tables as (
  select r.oid, r.nspname, r.relname from rels r where r.is_guide_table
),
verdict_functions as (
  select p.oid, n.nspname, p.proname, p.prokind
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = $1 and p.prokind in ('f', 'p') and (p.proname = any($5) or p.prosecdef)
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
  -- RLS forced, primary key attnums, replica identity index, columns]. No ACL: only the guide's tables'
  -- privileges are judged or changed.
  'publishedTables', coalesce((select json_agg(json_build_array(
      r.ord, r.nspname, r.relname, r.relkind, r.owner, r.rowfilter, r.attrs is not null, r.relreplident,
      r.relrowsecurity, r.relforcerowsecurity, pk.attnums, ii.index, coalesce(tc.columns, '[]'::json)))
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
    where n.nspname = $1 and p.prokind in ('f', 'p') and (p.proname = any($5) or p.prosecdef)), '[]'::json),
  'tableSafety', coalesce((select json_agg(json_build_object(
      'schema', r.nspname, 'name', r.relname, 'kind', r.relkind,
      'primaryKeyDeferrable', coalesce(si.pk_deferrable, false), 'identityIndexUsable', coalesce(si.ident_usable, false),
      'rowFilterColumns', rf.columns,
      'partitions', case when r.relkind = 'p' then (select json_agg(json_build_object(
          'schema', pi.nspname, 'name', pi.relname, 'replicaIdentity', pi.relreplident,
          'primaryKey', pi.primary_key, 'primaryKeyDeferrable', pi.pk_deferrable, 'identityIndex', pi.identity_index)
          order by pi.nspname, pi.relname)
        from partition_identity pi where pi.root = r.oid) end,
      -- Grants matter only on the guide's tables (fix-permissions' grants and its RLS decision).
      'columnAcl', case when r.is_guide_table then (select json_agg(json_build_object('column', a.attname, 'acl', a.attacl::text[]) order by a.attnum)
        from pg_attribute a where a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null) end,
      'grantees', case when r.is_guide_table then (select json_agg(json_build_object(
          'role', case when g.grantee = 0 then 'public' else pg_get_userbyid(g.grantee) end,
          'superuser', coalesce(gr.rolsuper, false), 'bypassRls', coalesce(gr.rolbypassrls, false),
          'ownsTable', g.grantee <> 0 and pg_has_role(g.grantee, (select relowner from pg_class where oid = r.oid), 'USAGE'),
          'privileges', g.privs) order by g.grantee)
        from (select grantee, array_agg(distinct privilege_type || coalesce(' (' || column_name || ')', '')) as privs
                from safety_grants where relid = r.oid group by grantee) g
        left join pg_roles gr on gr.oid = g.grantee) end
    ) order by r.nspname, r.relname)
    from rels r
    left join safety_ident si on si.relid = r.oid
    left join safety_rowfilter rf on rf.relid = r.oid
    -- Only tables with something to say: a large publication of plain tables with immediate keys adds nothing.
    where r.is_guide_table or r.relkind = 'p' or rf.columns is not null or coalesce(si.pk_deferrable, false)
       or (r.relreplident = 'i' and not coalesce(si.ident_usable, false))), '[]'::json),
  'publicationSafety', (select json_build_object(
      'owner', pg_get_userbyid(p.pubowner), 'comment', obj_description(p.oid, 'pg_publication'),
      -- PostgreSQL 18's publish_generated_columns ('n' none, 's' stored); read through jsonb so older servers give null.
      'generatedColumns', to_jsonb(p) ->> 'pubgencols')
    from pg_publication p join pub on pub.oid = p.oid),
  -- The search_path the roles firing the sync trigger resolve with today: per role in this database, per
  -- role, per database (pg_db_role_setting), else the server's (boot value when this session's own
  -- role or database setting hides it).
  'searchPathSettings', json_build_object(
    'server', (select case when source in ('database', 'user', 'database user', 'client', 'session') then boot_val else reset_val end
               from pg_settings where name = 'search_path'),
    'database', (select substr(c, length('search_path=') + 1) from pg_db_role_setting s cross join unnest(s.setconfig) c
                 where s.setrole = 0 and s.setdatabase = (select oid from pg_database where datname = current_database())
                   and c like 'search_path=%'),
    'roles', coalesce((select json_agg(json_build_object('role', wr.rolname,
        'databaseRole', (select substr(c, length('search_path=') + 1) from pg_db_role_setting s cross join unnest(s.setconfig) c
                  where s.setrole = wr.oid and s.setdatabase = (select oid from pg_database where datname = current_database())
                    and c like 'search_path=%'),
        'allDatabases', (select substr(c, length('search_path=') + 1) from pg_db_role_setting s cross join unnest(s.setconfig) c
                  where s.setrole = wr.oid and s.setdatabase = 0 and c like 'search_path=%')) order by wr.rolname)
      from wanted_roles wr), '[]'::json),
    'schemas', coalesce((select json_agg(nspname order by nspname) from pg_namespace where nspname = any (select rolname from wanted_roles)), '[]'::json)),
  -- What the owner of each named function may do on the guide's tables: SECURITY DEFINER runs its body
  -- with exactly these rights (superuser and BYPASSRLS skip policies; so does owning the table unless FORCE).
  'functionOwners', coalesce((select json_agg(json_build_object(
      'schema', n.nspname, 'name', p.proname, 'arguments', pg_get_function_identity_arguments(p.oid),
      'owner', pg_get_userbyid(p.proowner), 'superuser', o.rolsuper, 'bypassRls', o.rolbypassrls,
      'tables', (select json_agg(json_build_object(
          'schema', r.nspname, 'name', r.relname,
          'ownsTable', pg_has_role(p.proowner, (select relowner from pg_class where oid = r.oid), 'USAGE'),
          'insert', has_table_privilege(p.proowner, r.oid, 'INSERT') or has_any_column_privilege(p.proowner, r.oid, 'INSERT'),
          'update', has_table_privilege(p.proowner, r.oid, 'UPDATE') or has_any_column_privilege(p.proowner, r.oid, 'UPDATE'),
          'select', has_table_privilege(p.proowner, r.oid, 'SELECT') or has_any_column_privilege(p.proowner, r.oid, 'SELECT'),
          'rlsEnabled', r.relrowsecurity, 'rlsForced', r.relforcerowsecurity,
          'policies', (select coalesce(json_agg(case pol.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT'
                  when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end order by pol.polname), '[]'::json)
            from pg_policy pol where pol.polrelid = r.oid and pol.polpermissive
              and (0 = any (pol.polroles) or exists (select 1 from unnest(pol.polroles) pr where pg_has_role(p.proowner, pr, 'USAGE'))))
        ) order by r.relname) from rels r where r.is_guide_table and r.relkind in ('r', 'p'))
    ) order by p.proname, p.oid)
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_roles o on o.oid = p.proowner
    where n.nspname = $1 and p.prokind = 'f' and p.proname = any($5)), '[]'::json),
  -- Verdict inputs (see verdict_tables). Roles whose privileges each wanted role has: pg_has_role(…,
  -- 'USAGE') is Postgres's own has_privs_of_role, the test row security uses to decide whether a policy
  -- TO some role applies, so NOINHERIT (and PostgreSQL 16's per-grant INHERIT) are honoured by Postgres.
  'roleMemberships', coalesce((select json_agg(json_build_object(
      'role', wr.rolname,
      'privilegesOf', coalesce((select array_agg(o.rolname order by o.rolname) from pg_roles o
                                where o.oid <> wr.oid and pg_has_role(wr.oid, o.oid, 'USAGE')), '{}'))
      order by wr.rolname) from wanted_roles wr), '[]'::json),
  -- Per guide table, role and privilege: on how many columns the role holds it (a table grant covers all).
  'columnPrivileges', coalesce((select json_agg(json_build_object(
      'schema', vt.nspname, 'table', vt.relname, 'role', wr.rolname, 'privilege', pv.privilege,
      'columns', (select count(*) filter (where has_column_privilege(wr.oid, vt.oid, a.attnum, pv.privilege))
                  from pg_attribute a where a.attrelid = vt.oid and a.attnum > 0 and not a.attisdropped),
      'total', (select count(*) from pg_attribute a where a.attrelid = vt.oid and a.attnum > 0 and not a.attisdropped))
      order by vt.nspname, vt.relname, wr.rolname, pv.privilege)
    from verdict_tables vt cross join wanted_roles wr
    cross join unnest(array['SELECT','INSERT','UPDATE']) pv(privilege)), '[]'::json),
  -- pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h): 1 row, 2 before, 64 instead,
  -- 4 insert, 8 delete, 16 update, 32 truncate.
  'triggerEvents', coalesce((select json_agg(json_build_object(
      'schema', vt.nspname, 'table', vt.relname, 'name', t.tgname,
      'rowLevel', (t.tgtype & 1) <> 0,
      'timing', case when (t.tgtype & 2) <> 0 then 'BEFORE' when (t.tgtype & 64) <> 0 then 'INSTEAD OF' else 'AFTER' end,
      'events', array_remove(array[
          case when (t.tgtype & 4) <> 0 then 'INSERT' end, case when (t.tgtype & 16) <> 0 then 'UPDATE' end,
          case when (t.tgtype & 8) <> 0 then 'DELETE' end, case when (t.tgtype & 32) <> 0 then 'TRUNCATE' end], null),
      'updateColumns', t.tgattr::int2[] <> '{}', 'hasWhen', t.tgqual is not null) order by vt.relname, t.tgname)
    from verdict_tables vt join pg_trigger t on t.tgrelid = vt.oid and not t.tgisinternal), '[]'::json),
  -- Who may call each function (EXECUTE, through PUBLIC or a granted role) and whether an extension owns it.
  'functionExposure', coalesce((select json_agg(json_build_object(
      'schema', vf.nspname, 'name', vf.proname, 'arguments', pg_get_function_identity_arguments(vf.oid),
      'kind', vf.prokind,
      'extension', exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = vf.oid and d.deptype = 'e'),
      'executableBy', coalesce((select array_agg(wr.rolname order by wr.rolname) from wanted_roles wr
                                where has_function_privilege(wr.oid, vf.oid, 'EXECUTE')), '{}'))
      order by vf.proname, vf.oid) from verdict_functions vf), '[]'::json),
  -- Foreign keys of the guide's tables and whether a valid, non-partial index leads with their columns.
  'foreignKeys', coalesce((select json_agg(json_build_object(
      'schema', vt.nspname, 'table', vt.relname, 'name', con.conname,
      'columns', (select array_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum),
      'indexed', exists (select 1 from pg_index i where i.indrelid = con.conrelid and i.indisvalid and i.indpred is null
                         and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey))
      order by vt.relname, con.conname)
    from verdict_tables vt join pg_constraint con on con.conrelid = vt.oid and con.contype = 'f'), '[]'::json),
  -- Guide tables campfire's own user may EXPLAIN, to let the planner fold policy expressions.
  'explainableTables', coalesce((select json_agg(json_build_object('schema', vt.nspname, 'table', vt.relname) order by vt.nspname, vt.relname)
    from verdict_tables vt where has_table_privilege(vt.oid, 'SELECT')), '[]'::json)
) as snapshot
