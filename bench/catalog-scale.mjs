// Catalog scale: doctor on a plain Campfire database, beside 10,000 unrelated tables ("wide"), and beside
// 10,000 tables a third of which are published ("published"), against psql running the same catalog SQL.
// Needs psql and a Postgres (CAMPFIRE_BENCH_DATABASE_URL, default the machine's 127.0.0.1:5432).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, fmt, goal, machine, median, ratio, time } from './lib.mjs';

const server = process.env.CAMPFIRE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const GENERATION = 'v2-10000';
const runs = Number(process.env.BENCH_RUNS ?? 7);

const urlFor = (db) => { const u = new URL(server); u.pathname = `/${db}`; return u.toString(); };
const psql = (db, args, opts = {}) => {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', urlFor(db), ...args], { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

function ensure(db, n, published) {
  const have = spawnSync('psql', ['-X', '-tA', '-d', urlFor(db), '-c', 'select generation from campfire_bench_meta'], { encoding: 'utf8' });
  if (have.status === 0 && have.stdout.trim() === GENERATION) return;
  process.stderr.write(`building ${db} (${n} extra tables${published ? ', a third published' : ''})…\n`);
  psql('postgres', ['-c', `drop database if exists ${db}`, '-c', `create database ${db}`]);
  for (const f of ['00-supabase-baseline.sql', '10-campfire-schema.sql', '20-broken.sql']) {
    psql(db, ['-f', path.join(ROOT, 'fixtures/db', f)], { env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } });
  }
  if (n) psql(db, ['-v', `n=${n}`, '-v', `published=${published ? 1 : 0}`, '-v', 'every=3', '-f', path.join(ROOT, 'bench/scale-schema.sql')]);
  psql(db, ['-c', `create table campfire_bench_meta as select '${GENERATION}'::text as generation`]);
}

// psql runs the project's own catalog SQL with the same parameters and session settings as doctor.
const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-'));
const wrapper = path.join(dir, 'snapshot-psql.sql');
const body = readFileSync(path.join(ROOT, 'sql/snapshot.sql'), 'utf8').replace(/^--.*$/gm, '');
writeFileSync(wrapper, `set jit = off;\nprepare snapshot(text, text[], text, text[], text[]) as ${body};\n` +
  `execute snapshot('public', '{conversations,messages,realtime_conversations}', 'supabase_realtime', '{anon,authenticated,service_role}', '{sync_realtime_conversations,update_updated_at_column}');\n`);

const dbs = [['campfire_bench_plain', 0, false], ['campfire_bench_wide', 10000, false], ['campfire_bench_published', 10000, true]];
for (const [db, n, pub] of dbs) ensure(db, n, pub);

// Every round runs doctor and psql on every database, in a rotating order, so all see the same load.
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
const loadBefore = load();
const commands = dbs.flatMap(([db]) => [
  [db, 'doctor', () => time(process.execPath, [BIN, 'doctor', '--db-url', urlFor(db), '--json'], { runs: 1, okCodes: [0, 1], warmup: false })[0]],
  [db, 'psql', () => time('psql', ['-X', '-q', '-A', '-t', '-o', '/dev/null', '-d', urlFor(db), '-f', wrapper], { runs: 1, warmup: false })[0]],
]);
const samples = new Map(commands.map(([db, side]) => [`${db}/${side}`, []]));
for (const [, , run] of commands) run(); // warm-up
for (let r = 0; r < runs; r++) {
  for (let k = 0; k < commands.length; k++) {
    const [db, side, run] = commands[(r + k) % commands.length];
    samples.get(`${db}/${side}`).push(run());
  }
}
const results = {};
for (const [db] of dbs) {
  const counts = psql(db, ['-tA', '-c', `select (select count(*) from pg_publication_rel), (select count(*) from pg_class where relkind = 'r'), (select count(*) from pg_attribute a join pg_publication_rel r on r.prrelid = a.attrelid where a.attnum > 0)`]).trim();
  results[db] = { counts, doctor: median(samples.get(`${db}/doctor`)), psql: median(samples.get(`${db}/psql`)) };
}
const loadAfter = load();
const phases = JSON.parse(spawnSync(process.execPath, [path.join(ROOT, 'bench/catalog-phases.mjs'), urlFor('campfire_bench_published')], { encoding: 'utf8' }).stdout);
const plain = results.campfire_bench_plain, wide = results.campfire_bench_wide, pub = results.campfire_bench_published;
const row = (name, r) => `| ${name} | ${r.counts.replace(/\|/g, ' / ')} | ${fmt(r.doctor)} | ${fmt(r.psql)} | ${ratio(r.doctor, r.psql)} | ${ratio(r.doctor, plain.doctor)} |`;
const version = psql('postgres', ['-tA', '-c', 'show server_version']).trim();
const md = `## 1. Catalog scale

${new Date().toISOString().slice(0, 10)} · ${machine()} · PostgreSQL ${version} · median of ${runs} runs after a warm-up.
\`campfire doctor --json\` (a whole process: Node start, connect, one catalog query, judge, print) against
\`psql -X -A -t -f\` (unaligned output) running the project's own \`sql/snapshot.sql\` with the same parameters and \`jit = off\`.
The published tables that are not the guide's travel as positional arrays, and only the guide's tables carry
policies, grants and triggers: the JSON for *published* is a third smaller than when every table was an object.

| database | published tables / tables / published columns | doctor | psql | doctor ÷ psql | doctor ÷ plain doctor |
|---|---|---|---|---|---|
${row('plain Campfire fixture', plain)}
${row('wide: +10,000 unrelated tables', wide)}
${row('published: +10,000 tables, ⅓ published', pub)}

- ${goal(wide.doctor / plain.doctor, 1.2, 'wide doctor ÷ plain doctor')}
- ${goal(pub.doctor / pub.psql, 1.3, 'published doctor ÷ psql on the same SQL')}
- ${goal(pub.doctor / plain.doctor, 2.0, 'published doctor ÷ plain doctor')}

Load average (1 / 5 / 15 min) before: ${loadBefore}; after: ${loadAfter} on ${os.availableParallelism()} cores; each round runs
all six commands in a rotating order.

Where the time goes on *published* (bench/catalog-phases.mjs, in one Node process, median of ${phases.runs}): the
query with its transfer ${fmt(phases.query)} (${phases.kb} KB of JSON), JSON.parse ${fmt(phases.parse)}, building the
snapshot objects ${fmt(phases.inflate)}, judging every database check ${fmt(phases.judge)}; a bare \`node -e 0\` start
is ${fmt(phases.node)}. psql runs the same query and pays almost nothing else, so doctor ÷ psql is about
(Node start + campfire's modules + parse + judge) ÷ query: the faster the query, the higher that ratio.
`;
process.stdout.write(md);
