// Benchmark: doctor --migrations' shadow database (issue 17). A 50-file supabase/migrations folder, applied
// (1) by the default embedded shadow on first use (cold: initdb, baseline template), (2) on later runs
// (warm: the cluster and template reused), (3) with --shadow-url on an already running server, beside
// (4) psql applying the same files to that running server, one `psql -1 -f` per file (one transaction
// each, as the Supabase CLI applies them). The per-migration cost is the 50-file run minus a 0-file run.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, fmt, median, ratio, time } from './lib.mjs';

const FILES = 50;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-shadow-'));
chmodSync(tmp, 0o755); // as root, Postgres runs as postgres and must reach the caches below

function folder(n) {
  const dir = path.join(tmp, `m${n}`);
  mkdirSync(dir);
  if (n === 0) return dir;
  copyFileSync(path.join(ROOT, 'fixtures/db/10-campfire-schema.sql'), path.join(dir, '20240101000000_campfire_schema.sql'));
  copyFileSync(path.join(ROOT, 'fixtures/db/30-healthy.sql'), path.join(dir, '20240101000001_healthy.sql'));
  // The rest in the mix real folders have: a table with RLS and a policy on auth.uid(), an index, now and
  // then a SECURITY DEFINER function and an idempotent publication change.
  for (let i = 2; i < n; i++) {
    const t = `feature_${i}`;
    const sql = [
      `create table if not exists public.${t} (id uuid primary key default gen_random_uuid(), organization_id uuid not null, owner_id uuid references auth.users (id), body text, meta jsonb not null default '{}', created_at timestamptz not null default now());`,
      `create index if not exists ${t}_org on public.${t} (organization_id, created_at desc);`,
      `alter table public.${t} enable row level security;`,
      `drop policy if exists "${t} owner" on public.${t};`,
      `create policy "${t} owner" on public.${t} for all to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());`,
      i % 5 === 0 ? `create or replace function public.${t}_count(org uuid) returns bigint language sql stable security definer set search_path = public, pg_temp as $$ select count(*) from ${t} where organization_id = org $$;` : '',
      i % 10 === 0 ? `do $$ begin if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = '${t}') then alter publication supabase_realtime add table public.${t} (id, organization_id, created_at); end if; end $$;` : '',
    ].filter(Boolean).join('\n');
    writeFileSync(path.join(dir, `2024020${Math.floor(i / 10)}${String(i).padStart(6, '0')}_${t}.sql`), `${sql}\n`);
  }
  return dir;
}

const node = process.execPath;
const doctor = (dir, extra = []) => [BIN, 'doctor', '--json', '--migrations', dir, ...extra];
const m50 = folder(FILES);
const m0 = folder(0);
const codes = { okCodes: [0, 1] };

// (1) cold: a new cache each run, so initdb and the baseline template are part of the time.
const cold = [];
for (let i = 0; i < 3; i++) {
  const cache = path.join(tmp, `cold${i}`);
  mkdirSync(cache, { mode: 0o755 });
  cold.push(...time(node, doctor(m50), { runs: 1, warmup: false, env: { XDG_CACHE_HOME: cache }, ...codes }));
}
// (2) warm: one cache, reused.
const cache = path.join(tmp, 'warm');
mkdirSync(cache, { mode: 0o755 });
const warm50 = time(node, doctor(m50), { runs: 7, env: { XDG_CACHE_HOME: cache }, ...codes });
const warm0 = time(node, doctor(m0), { runs: 7, env: { XDG_CACHE_HOME: cache }, ...codes });

// A running PostgreSQL 17 (the same embedded binaries) for --shadow-url and psql.
const { startServerForBench } = await import('./shadow-server.mjs');
const server = await startServerForBench(path.join(tmp, 'server'));
try {
  const url = server.url;
  const sh50 = time(node, doctor(m50, ['--shadow-url', url]), { runs: 7, ...codes });
  const sh0 = time(node, doctor(m0, ['--shadow-url', url]), { runs: 7, ...codes });
  // psql: a database from a baseline template, then one psql per file.
  const psql = (args) => {
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
    if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.stderr}`);
  };
  psql(['-d', url, '-c', 'create database bench_baseline']);
  psql(['-d', withDb(url, 'bench_baseline'), '-f', path.join(ROOT, 'fixtures/db/00-supabase-baseline.sql')]);
  psql(['-d', url, '-c', 'alter database bench_baseline is_template true']);
  const files = readdirSync(m50).sort().map((f) => path.join(m50, f));
  let k = 0;
  const psqlRun = (list) => () => {
    const db = `bench_${k++}`;
    const t0 = performance.now();
    psql(['-d', url, '-c', `create database ${db} template bench_baseline`]);
    for (const f of list) psql(['-1', '-d', withDb(url, db), '-f', f]);
    const ms = performance.now() - t0;
    psql(['-d', url, '-c', `drop database ${db}`]);
    return ms;
  };
  const ps50 = Array.from({ length: 5 }, psqlRun(files));
  const ps0 = Array.from({ length: 5 }, psqlRun([]));
  // The same files in one psql session (-c BEGIN -f FILE -c COMMIT per file): the server's share alone.
  const oneSession = () => {
    const db = `bench_${k++}`;
    const t0 = performance.now();
    psql(['-d', url, '-c', `create database ${db} template bench_baseline`]);
    psql(['-d', withDb(url, db), ...files.flatMap((f) => ['-c', 'BEGIN', '-f', f, '-c', 'COMMIT'])]);
    const ms = performance.now() - t0;
    psql(['-d', url, '-c', `drop database ${db}`]);
    return ms;
  };
  const ps1 = Array.from({ length: 5 }, oneSession);

  const per = (a, b) => (median(a) - median(b)) / FILES;
  const rows = [
    ['embedded shadow, cold (initdb + baseline template + 50 files + checks)', median(cold)],
    ['embedded shadow, warm (cluster and template reused), 50 files', median(warm50)],
    ['embedded shadow, warm, 0 files (the fixed cost)', median(warm0)],
    ['--shadow-url on a running server, 50 files', median(sh50)],
    ['--shadow-url on a running server, 0 files', median(sh0)],
    [`psql: createdb from a template + ${FILES} × \`psql -1 -f\``, median(ps50)],
    [`psql: createdb from a template + the ${FILES} files in one session (BEGIN/COMMIT around each)`, median(ps1)],
    ['psql: createdb from a template only', median(ps0)],
  ];
  const out = [
    '## Shadow database (doctor --migrations)',
    '',
    `\`node bench/shadow.mjs\`: a ${FILES}-file supabase/migrations folder (the Campfire schema and healthy state, then tables with RLS, policies on auth.uid(), indexes, SECURITY DEFINER functions and guarded publication changes). doctor times include starting campfire, the catalog read and the checks; medians of 7 runs (cold: 3, each with an empty cache).`,
    '',
    '| run | median |',
    '|---|---|',
    ...rows.map(([what, ms]) => `| ${what} | ${fmt(ms)} |`),
    '',
    `Per migration: embedded warm ${fmt(per(warm50, warm0))}, --shadow-url ${fmt(per(sh50, sh0))}, psql ${fmt(per(ps50, ps0))} (one psql process per file), psql in one session ${fmt(per(ps1, ps0))}.`,
    `A warm run spends ${(((median(warm50) - median(warm0)) / median(warm50)) * 100).toFixed(0)}% of its time on the migrations; cold/warm = ${ratio(median(cold), median(warm50))}; warm 50-file doctor (build + checks) vs psql applying the files = ${ratio(median(warm50), median(ps50))} (one psql per file) and ${ratio(median(warm50), median(ps1))} (one session).`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await server.stop();
  // Let the shadow clusters finish stopping before their folders go.
  for (const c of [cache, ...[0, 1, 2].map((i) => path.join(tmp, `cold${i}`))]) await waitStopped(path.join(c, 'campfire', 'shadow', 'data'));
  rmSync(tmp, { recursive: true, force: true });
}

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function waitStopped(data) {
  const { readServerState } = await import('../dist/embedded/pidfile.js');
  for (let i = 0; i < 300 && readServerState(data).kind === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
}
