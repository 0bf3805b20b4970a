-- Sessions holding a lock on one of the given tables: named when a fix gives up at its lock_timeout.
-- Parameters: $1 text[] tables as schema.name (unquoted catalog names).
select distinct a.pid, a.usename as "user", a.application_name as application, c.relname as "table",
       l.mode, a.state
from pg_locks l
join pg_class c on c.oid = l.relation
join pg_namespace n on n.oid = c.relnamespace
join pg_stat_activity a on a.pid = l.pid
where l.granted and n.nspname || '.' || c.relname = any($1) and l.pid <> pg_backend_pid()
order by a.pid
limit 5
