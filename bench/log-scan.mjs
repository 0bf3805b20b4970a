// Log scan: `campfire doctor --log` against the guide's greps (`grep -c` once per pattern) on generated
// server logs of two sizes. Each run times doctor and the three greps back to back (so both see the same
// machine load); the table gives medians, the ratio, CPU time beside wall time, and doctor's peak RSS,
// which must not grow with the file. doctor's counts are checked against grep's: a fast wrong answer fails.
// Usage: node bench/log-scan.mjs [--mb 300 --small-mb 30] (BENCH_RUNS, default 5). Logs go to a temp dir.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, fmt, goal, machine, median, ratio } from './lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const sizesMb = [arg('--small-mb', 30), arg('--mb', 300)];
const runs = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-'));
const PATTERNS = [['-i', 'mismatch'], ['Broadcast successful'], ['Broadcast result']];

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

/** Wall ms, CPU ms (user+sys) and peak RSS (KB) of one command, from GNU time. */
function measure(cmd, args, okCodes = [0]) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').at(-1);
  if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [secs, user, sys, kb] = last.split(' ').map(Number);
  return { ms: secs * 1000, cpu: (user + sys) * 1000, kb, stdout: r.stdout };
}

/** The counts doctor reports, read from its JSON summaries. */
function doctorCounts(json) {
  const report = JSON.parse(json);
  const summary = (id) => report.checks.find((c) => c.id === id).summary;
  const first = (s) => Number(/^(\d+)/.exec(s)?.[1] ?? 0);
  const timed = Number(/over (\d+) broadcast/.exec(summary('logs.broadcast-latency'))?.[1] ?? 0);
  return [first(summary('logs.binding-mismatch')), first(summary('logs.broadcast-success')), timed];
}

try {
  execFileSync('/usr/bin/time', ['true'], { stdio: 'ignore' });
} catch {
  console.error('bench:logs needs GNU time at /usr/bin/time');
  process.exit(2);
}
const rows = [];
try {
  for (const mb of sizesMb) {
    const file = path.join(dir, `server-${mb}mb.log`);
    generate(file, mb);
    spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache for both sides alike
    const doctorArgs = [BIN, 'doctor', '--log', file, '--json'];
    measure(process.execPath, doctorArgs, [0, 1]); // warm-up
    const doctor = [];
    const greps = [];
    let counts;
    let grepCounts;
    for (let r = 0; r < runs; r++) {
      const d = measure(process.execPath, doctorArgs, [0, 1]);
      counts = doctorCounts(d.stdout);
      doctor.push(d);
      const g = PATTERNS.map((p) => measure('grep', ['-c', ...p, file]));
      grepCounts = g.map((x) => Number(x.stdout.trim()));
      greps.push({ ms: g.reduce((s, x) => s + x.ms, 0), cpu: g.reduce((s, x) => s + x.cpu, 0) });
    }
    if (counts.join('/') !== grepCounts.join('/')) {
      throw new Error(`doctor counted ${counts.join('/')} but grep -c ${grepCounts.join('/')} (mismatch/success/result) on ${mb} MB`);
    }
    rows.push({
      mb,
      doctorMs: median(doctor.map((d) => d.ms)),
      grepMs: median(greps.map((g) => g.ms)),
      doctorCpu: median(doctor.map((d) => d.cpu)),
      grepCpu: median(greps.map((g) => g.cpu)),
      rssMb: Math.max(...doctor.map((d) => d.kb)) / 1024,
      counts,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const bare = median(Array.from({ length: 5 }, () => measure(process.execPath, ['-e', '0']).ms));
const version = median(Array.from({ length: 5 }, () => measure(process.execPath, [BIN, '--version']).ms));
const grepVersion = execFileSync('grep', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const [small, big] = rows;
const md = `## 3. Log scan

${new Date().toISOString().slice(0, 10)} · ${machine()} · ${grepVersion}, LANG=${process.env.LANG ?? ''} · median of ${runs} runs after a warm-up,
doctor and the greps timed back to back in each run, page cache warm.
\`campfire doctor --log FILE --json\` (a whole process: Node start, one pass, judge, print) against
\`grep -c -i mismatch\`, \`grep -c "Broadcast successful"\` and \`grep -c "Broadcast result"\` run one after another
(the guide's three greps). Generated log: 1% mismatch lines, 5% "Broadcast successful", 5% "Broadcast result".

| log | doctor --log | 3 × grep -c | doctor ÷ greps | CPU (user+sys): doctor / greps | doctor peak RSS |
|---|---|---|---|---|---|
${rows.map((r) => `| ${r.mb} MB | ${fmt(r.doctorMs)} | ${fmt(r.grepMs)} | ${ratio(r.doctorMs, r.grepMs)} | ${fmt(r.doctorCpu)} / ${fmt(r.grepCpu)} (${ratio(r.doctorCpu, r.grepCpu)}) | ${r.rssMb.toFixed(0)} MB |`).join('\n')}

Counts agree with grep on both sizes (mismatch / successful / result lines on ${big.mb} MB: ${big.counts.join(' / ')}).
Fixed cost in every doctor run: \`node -e 0\` ${fmt(bare)}, \`campfire --version\` ${fmt(version)} (grep starts in about 1 ms).

- ${goal(big.doctorMs / big.grepMs, 1.0, `doctor ÷ the greps together on ${big.mb} MB`)}
- ${goal(big.rssMb / small.rssMb, 1.1, `peak RSS on ${big.mb} MB ÷ on ${small.mb} MB (memory independent of size)`)}
`;
process.stdout.write(md);
