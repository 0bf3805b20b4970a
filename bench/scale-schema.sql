-- Generates :n unrelated tables beside the Campfire tables: mixed column types, RLS and a policy on
-- every third, a SECURITY DEFINER function per ten tables, and, when :published is 1, every third
-- table (every :every-th) added to supabase_realtime.
-- psql -v n=10000 -v published=0 -v every=3 -f bench/scale-schema.sql
-- (\gexec runs each statement in its own transaction, so the lock table never fills up.)
select format('create table bench_%s (id bigint primary key, name text, amount numeric(12,2), tags text[], '
              'body jsonb, seen_at timestamptz, flag boolean)', i)
from generate_series(1, :n) i \gexec
select format('alter table bench_%s enable row level security', i) from generate_series(3, :n, 3) i \gexec
select format('create policy bench_%s_read on bench_%s for select to anon using (flag)', i, i)
from generate_series(3, :n, 3) i \gexec
select format('create function bench_fn_%s() returns int language sql security definer '
              'set search_path = public, pg_temp as ''select 1''', i)
from generate_series(10, :n, 10) i \gexec
select format('alter publication supabase_realtime add table %s',
              string_agg(format('bench_%s', i), ', '))
from generate_series(:every, :n, :every) i
where :published = 1
having count(*) > 0 \gexec
