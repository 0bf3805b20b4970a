-- Who holds one of campfire's advisory locks: the fix lock (transaction-level, every `campfire fix-*` apply) or
-- the recovery lock (session-level, held by `campfire recover` for its whole run).
-- Parameters: $1 int4, $2 int4 — the two keys passed to pg_try_advisory_(xact_)lock($1, $2).
select a.pid, a.usename as "user", a.application_name as application, host(a.client_addr) as client,
       coalesce(a.xact_start, a.backend_start)::text as since, a.state
from pg_locks l
join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted
  and l.database = (select oid from pg_database where datname = current_database())
  and l.classid = $1::int4::oid and l.objid = $2::int4::oid and l.objsubid = 2
  and l.pid <> pg_backend_pid()
limit 1
