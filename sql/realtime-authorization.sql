-- campfire: what Realtime Authorization reads — realtime.messages, its row level security and its
-- policies, and what the API roles are granted on it. One row; "messages" is null when the table does not
-- exist (projects from before Realtime Authorization).
--
-- Parameters:
--   $1 text[]  the API roles clients join as (anon, authenticated)
with t as (
  select c.oid, c.relkind, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) as owner
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'realtime' and c.relname = 'messages'
)
select (select json_build_object(
  'schema', 'realtime', 'name', 'messages', 'kind', t.relkind, 'owner', t.owner,
  'rlsEnabled', t.relrowsecurity, 'rlsForced', t.relforcerowsecurity,
  'explainable', has_table_privilege(t.oid, 'SELECT'),
  'policies', coalesce((select json_agg(json_build_object(
      'name', p.polname,
      'command', case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                               when 'd' then 'DELETE' else 'ALL' end,
      'permissive', p.polpermissive,
      'roles', (select array_agg(case when ro = 0 then 'public' else pg_get_userbyid(ro) end order by ro)
                  from unnest(p.polroles) ro),
      'using', pg_get_expr(p.polqual, p.polrelid),
      'check', pg_get_expr(p.polwithcheck, p.polrelid)) order by p.polname)
    from pg_policy p where p.polrelid = t.oid), '[]'::json),
  'privileges', coalesce((select json_agg(json_build_object(
      'role', r.rolname, 'privilege', pv.privilege, 'granted', has_table_privilege(r.oid, t.oid, pv.privilege))
      order by r.rolname, pv.ord)
    from pg_roles r
    cross join unnest(array['SELECT','INSERT']) with ordinality pv(privilege, ord)
    where r.rolname = any($1)), '[]'::json)
) from t) as messages
