// Benchmark: `campfire doctor --log` against the guide's greps (grep -c once per pattern) on generated
// server logs of two sizes. Reports wall time, the ratio and peak RSS; memory must not grow with size.
// Usage: npm run bench:logs [-- --mb 300 --small-mb 30]. The logs go to a temp dir that is deleted after.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const sizesMb = [arg('--small-mb', 30), arg('--mb', 300)];
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-'));

/** A realistic mix: mostly request lines, some broadcasts with timings, a few mismatch errors. */
function block() {
  const lines = [];
  const t0 = Date.parse('2026-11-25T20:00:00Z');
  for (let i = 0; i < 20_000; i++) {
    const ts = new Date(t0 + i * 37).toISOString();
    const k = i % 100;
    if (k === 0) lines.push(`${ts} [Realtime] ❌ Channel error: mismatch between server and client bindings for postgres changes`);
    else if (k < 6) lines.push(`${ts} [Realtime] ✅ Broadcast successful: org:9f1c2d3e:conv:${i.toString(16)} -> message:created`);
    else if (k < 11) lines.push(`${ts} [Realtime] Broadcast result: org:9f1c2d3e:conv:${i.toString(16)} -> message:created: 202 in ${(i % 250) + 3}ms`);
    else lines.push(`${ts} [API] POST /api/widget/messages 200 in ${(i % 90) + 5}ms ua="Mozilla/5.0 (X11; Linux x86_64)" req=${i}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function generate(file, mb) {
  const b = block();
  const fd = openSync(file, 'w');
  for (let written = 0; written < mb * 1e6; written += b.length) writeSync(fd, b);
  closeSync(fd);
}

/** Wall seconds, CPU seconds (user+sys) and peak RSS (KB) of a command, from GNU time. */
function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [secs, user, sys, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, cpu: user + sys, kb, stdout: r.stdout };
}

const env = { ...process.env };
try {
  execFileSync('/usr/bin/time', ['true']);
} catch {
  console.error('bench:logs needs GNU time at /usr/bin/time');
  process.exit(2);
}
const rows = [];
try {
  for (const mb of sizesMb) {
    const file = path.join(dir, `server-${mb}mb.log`);
    generate(file, mb);
    measure('cat', [file]); // warm the page cache for both sides alike
    const greps = [['-c', '-i', 'mismatch'], ['-c', 'Broadcast successful'], ['-c', 'Broadcast result']].map((a) => measure('grep', [...a, file]));
    const grepSecs = greps.reduce((s, g) => s + g.secs, 0);
    const grepCpu = greps.reduce((s, g) => s + g.cpu, 0);
    const cf = measure(process.execPath, [path.join(root, 'bin/campfire.js'), 'doctor', '--log', file, '--json']);
    const report = JSON.parse(cf.stdout);
    const mism = report.checks.find((c) => c.id === 'logs.binding-mismatch').summary;
    const grepCounts = greps.map((g) => g.stdout.trim()).join('/');
    rows.push({ mb, grepSecs, grepCpu, campfireCpu: cf.cpu, campfireSecs: cf.secs, ratio: cf.secs / grepSecs, rssMb: cf.kb / 1024, grepCounts, mism });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`grep: ${execFileSync('grep', ['--version'], { encoding: 'utf8' }).split('\n')[0]}, LANG=${env.LANG ?? ''}, node ${process.version}`);
console.log('size     3× grep -c   campfire   ratio   campfire peak RSS   grep counts (mismatch/success/result)');
for (const r of rows) {
  console.log(`${String(r.mb).padStart(4)} MB  ${r.grepSecs.toFixed(2).padStart(8)} s  ${r.campfireSecs.toFixed(2).padStart(7)} s  ${r.ratio.toFixed(2).padStart(5)}×  ${r.rssMb.toFixed(0).padStart(14)} MB   ${r.grepCounts}`);
  console.log(`         CPU (user+sys): greps ${r.grepCpu.toFixed(2)} s, campfire ${r.campfireCpu.toFixed(2)} s (${(r.campfireCpu / r.grepCpu).toFixed(2)}×) — wall time is noisy on a shared machine`);
  console.log(`         campfire: ${r.mism}`);
}
