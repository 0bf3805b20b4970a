// Fix at scale: fix-publication on a publication of 1,000 tables (each with jsonb and text[] columns),
// planning (dry run) and applying, against psql running the SQL campfire generated for the same change.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, fmt, machine, median, ratio, time } from './lib.mjs';

const server = process.env.CAMPFIRE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const TABLES = 1000;
const urlFor = (db) => { const u = new URL(server); u.pathname = `/${db}`; return u.toString(); };
const psql = (db, args) => {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', urlFor(db), ...args], {
    encoding: 'utf8', env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const template = 'campfire_bench_fix_tpl';
psql('postgres', ['-c', `drop database if exists ${template}`, '-c', `create database ${template}`]);
for (const f of ['00-supabase-baseline.sql', '10-campfire-schema.sql', '20-broken.sql']) psql(template, ['-f', path.join(ROOT, 'fixtures/db', f)]);
psql(template, ['-v', `n=${TABLES}`, '-v', 'published=1', '-v', 'every=1', '-f', path.join(ROOT, 'bench/scale-schema.sql')]);

let copies = 0;
const fresh = () => {
  const db = `campfire_bench_fix_${copies++}`;
  psql('postgres', ['-c', `drop database if exists ${db}`, '-c', `create database ${db} template ${template}`]);
  return db;
};
const dropAll = () => { for (let i = 0; i < copies; i++) psql('postgres', ['-c', `drop database if exists campfire_bench_fix_${i}`]); };

const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-fixbench-'));
const plan = median(time(process.execPath, [BIN, 'fix-publication', '--db-url', urlFor(template), '--json'], { runs }));
spawnSync(process.execPath, [BIN, 'fix-publication', '--db-url', urlFor(template), '--write-migration', dir]);
const migration = path.join(dir, readdirSync(dir)[0]);

// Each apply needs an untouched copy; copying is done outside the timed command.
const applyTimes = [];
const psqlTimes = [];
for (let i = 0; i < runs; i++) {
  const a = fresh();
  applyTimes.push(time(process.execPath, [BIN, 'fix-publication', '--db-url', urlFor(a), '--apply', '--yes', '--undo-file', path.join(dir, `undo-${i}.sql`)], { runs: 1, warmup: false })[0]);
  const b = fresh();
  psqlTimes.push(time('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-d', urlFor(b), '-f', migration], { runs: 1, warmup: false })[0]);
}
dropAll();
psql('postgres', ['-c', `drop database if exists ${template}`]);
const apply = median(applyTimes);
const raw = median(psqlTimes);
const md = `## 5. Fix at scale

${new Date().toISOString().slice(0, 10)} · ${machine()} · median of ${runs} runs.
A publication of ${TABLES} extra tables, each publishing jsonb and text[] columns, beside the broken Campfire fixture.

| what | median |
|---|---|
| \`campfire fix-publication --json\` (dry run: connect, snapshot, plan) | ${fmt(plan)} |
| \`campfire fix-publication --apply --yes\` (plan, lock, re-plan, apply, verify, undo file) | ${fmt(apply)} |
| \`psql -1 -f\` the migration campfire generated (the SQL alone) | ${fmt(raw)} |

campfire apply ÷ psql: ${ratio(apply, raw)}. The difference is the safety: the advisory lock, re-reading and
re-planning under it, the in-transaction verification snapshot and the undo script.
`;
process.stdout.write(md);
