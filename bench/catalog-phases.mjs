// Where doctor's time goes on a large catalog, phase by phase in one Node process (used by catalog-scale.mjs):
// the snapshot query with its transfer (raw text), JSON.parse, building the snapshot objects, and judging
// every database check. Prints JSON: medians in ms, the JSON's size, and a bare Node start for scale.
// Usage: node bench/catalog-phases.mjs DATABASE_URL (BENCH_RUNS, default 7). Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT, median } from './lib.mjs';

const dist = (m) => import(path.join(ROOT, 'dist', m));
const { inflate, snapshotParams } = await dist('db/snapshot.js');
const { DEFAULT_CONFIG } = await dist('config.js');
const { CHECKS } = await dist('checks/registry.js');
const { runChecks } = await dist('checks/run.js');

const runs = Number(process.env.BENCH_RUNS ?? 7);
const sql = readFileSync(path.join(ROOT, 'sql/snapshot.sql'), 'utf8');
const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
await client.query('set jit = off');
const database = CHECKS.filter((c) => c.input === 'database');
const t = { query: [], parse: [], inflate: [], judge: [] };
let kb = 0;
for (let i = 0; i <= runs; i++) {
  const t0 = performance.now();
  // The JSON column as text: parsing is timed on its own below.
  const r = await client.query({ text: sql, values: snapshotParams(DEFAULT_CONFIG), types: { getTypeParser: () => (x) => x } });
  const t1 = performance.now();
  const wire = JSON.parse(r.rows[0].snapshot);
  const t2 = performance.now();
  const snap = inflate(wire);
  const t3 = performance.now();
  runChecks(database, { database: snap }, DEFAULT_CONFIG);
  const t4 = performance.now();
  kb = Math.round(r.rows[0].snapshot.length / 1024);
  if (i === 0) continue; // warm-up
  t.query.push(t1 - t0);
  t.parse.push(t2 - t1);
  t.inflate.push(t3 - t2);
  t.judge.push(t4 - t3);
}
await client.end();
const node = median(Array.from({ length: 5 }, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}));
process.stdout.write(JSON.stringify({ runs, kb, node, ...Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)])) }));
