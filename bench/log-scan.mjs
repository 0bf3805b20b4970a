// Log scan: `campfire doctor --log` against the guide's greps (`grep -c` once per pattern) on generated
// server logs of two mixes (realistic: 10 % broadcast lines; broadcast-heavy: 45 % "Broadcast successful" +
// 45 % "Broadcast result", what a busy Realtime server logs) and two sizes. Each round runs doctor (all
// cores), doctor on one thread (CAMPFIRE_LOG_THREADS=1) and the three greps back to back in a rotating
// order, so all see the same machine load; the table gives medians, the ratio, CPU time beside wall time
// (what the parallel scan costs), and doctor's peak RSS, which must not grow with the file. The machine's
// load average is recorded: on a shared machine the second core may not be free. doctor's counts are
// checked against grep's on every run: a fast wrong answer fails.
// Usage: node bench/log-scan.mjs [--mb 300 --small-mb 30] (BENCH_RUNS, default 5). Logs go to a temp dir.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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

/** Per 100 lines: 1 mismatch line, then "Broadcast successful" and "Broadcast result" lines, the rest requests. */
const MIXES = [
  { id: 'realistic', title: 'realistic (1 % mismatch, 5 % "Broadcast successful", 5 % "Broadcast result")', success: 5, result: 5 },
  { id: 'broadcast-heavy', title: 'broadcast-heavy (1 % mismatch, 45 % "Broadcast successful", 45 % "Broadcast result")', success: 45, result: 45 },
];

function block(mix) {
  const lines = [];
  const t0 = Date.parse('2026-11-25T20:00:00Z');
  for (let i = 0; i < 20_000; i++) {
    const ts = new Date(t0 + i * 37).toISOString();
    const k = i % 100;
    if (k === 0) lines.push(`${ts} [Realtime] ❌ Channel error: mismatch between server and client bindings for postgres changes`);
    else if (k <= mix.success) lines.push(`${ts} [Realtime] ✅ Broadcast successful: ${k % 5 === 1 ? 'org:9f1c2d3e' : `org:9f1c2d3e:conv:${i.toString(16)}`} -> message:created`);
    else if (k <= mix.success + mix.result) lines.push(`${ts} [Realtime] Broadcast result: org:9f1c2d3e:conv:${i.toString(16)} -> message:created: 202 in ${(i % 250) + 3}ms`);
    else lines.push(`${ts} [API] POST /api/widget/messages 200 in ${(i % 90) + 5}ms ua="Mozilla/5.0 (X11; Linux x86_64)" req=${i}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function generate(file, mb, mix) {
  const b = block(mix);
  const fd = openSync(file, 'w');
  for (let written = 0; written < mb * 1e6; written += b.length) writeSync(fd, b);
  closeSync(fd);
}

/** Wall ms, CPU ms (user+sys) and peak RSS (KB) of one command, from GNU time. */
function measure(cmd, args, okCodes = [0], env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
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
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');
const loadBefore = load();
const rows = [];
try {
  for (const mix of MIXES) {
    for (const mb of sizesMb) {
      const file = path.join(dir, `server-${mix.id}-${mb}mb.log`);
      generate(file, mb, mix);
      spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache for every side alike
      const doctorArgs = [BIN, 'doctor', '--log', file, '--json'];
      const sides = {
        doctor: () => measure(process.execPath, doctorArgs, [0, 1]),
        single: () => measure(process.execPath, doctorArgs, [0, 1], { CAMPFIRE_LOG_THREADS: '1' }),
        two: () => measure(process.execPath, doctorArgs, [0, 1], { CAMPFIRE_LOG_THREADS: '2' }),
        greps: () => {
          const g = PATTERNS.map((p) => measure('grep', ['-c', ...p, file]));
          return { ms: g.reduce((s, x) => s + x.ms, 0), cpu: g.reduce((s, x) => s + x.cpu, 0), counts: g.map((x) => Number(x.stdout.trim())) };
        },
      };
      for (const side of Object.values(sides)) side(); // warm-up
      const got = { doctor: [], single: [], two: [], greps: [] };
      const order = Object.keys(sides);
      for (let r = 0; r < runs; r++) {
        // A rotating order, so no side always runs first (or right after another's page-cache use).
        for (let k = 0; k < order.length; k++) {
          const name = order[(r + k) % order.length];
          got[name].push(sides[name]());
        }
      }
      const grepCounts = got.greps[0].counts.join('/');
      for (const name of ['doctor', 'single', 'two']) {
        for (const d of got[name]) {
          const counts = doctorCounts(d.stdout).join('/');
          if (counts !== grepCounts) throw new Error(`doctor (${name}) counted ${counts} but grep -c ${grepCounts} (mismatch/success/result) on ${mix.id} ${mb} MB`);
        }
      }
      const med = (name, key) => median(got[name].map((x) => x[key]));
      rows.push({
        mix, mb,
        doctorMs: med('doctor', 'ms'), singleMs: med('single', 'ms'), twoMs: med('two', 'ms'), grepMs: med('greps', 'ms'),
        doctorCpu: med('doctor', 'cpu'), singleCpu: med('single', 'cpu'), twoCpu: med('two', 'cpu'), grepCpu: med('greps', 'cpu'),
        // Memory per thread count: a worker thread holds its own heap (about 10-20 MB) whatever the file size.
        rssMb: Math.max(...got.single.map((d) => d.kb)) / 1024,
        rssTwoMb: Math.max(...got.two.map((d) => d.kb)) / 1024,
        counts: got.greps[0].counts,
        orgWide: JSON.parse(got.doctor[0].stdout).checks.find((c) => c.id === 'logs.broadcast-success').summary,
      });
      rmSync(file, { force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = load();
const bare = median(Array.from({ length: 5 }, () => measure(process.execPath, ['-e', '0']).ms));
const version = median(Array.from({ length: 5 }, () => measure(process.execPath, [BIN, '--version']).ms));
// doctor's fixed cost: the same command on a one-line log (Node start, campfire's modules, judge, print).
const tiny = path.join(mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-')), 'one-line.log');
writeFileSync(tiny, '2026-11-25T20:00:00.000Z [API] POST /api/widget/messages 200 in 5ms\n');
const fixedRuns = Array.from({ length: 5 }, () => measure(process.execPath, [BIN, 'doctor', '--log', tiny, '--json'], [0, 1]));
rmSync(path.dirname(tiny), { recursive: true, force: true });
const fixed = { ms: median(fixedRuns.map((x) => x.ms)), cpu: median(fixedRuns.map((x) => x.cpu)) };
const grepVersion = execFileSync('grep', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const table = (mix) => rows.filter((r) => r.mix === mix).map((r) =>
  `| ${r.mb} MB | ${fmt(r.doctorMs)} | ${fmt(r.singleMs)} | ${fmt(r.twoMs)} | ${fmt(r.grepMs)} | **${ratio(r.doctorMs, r.grepMs)}** | ${ratio(r.singleMs, r.grepMs)} | ${ratio(r.twoMs, r.grepMs)} | ${fmt(r.doctorCpu)} / ${fmt(r.singleCpu)} / ${fmt(r.twoCpu)} / ${fmt(r.grepCpu)} | ${r.rssMb.toFixed(0)} MB / ${r.rssTwoMb.toFixed(0)} MB |`).join('\n');
const goals = rows.map((r) => `- ${goal(r.doctorMs / r.grepMs, 1.0, `${r.mix.id} ${r.mb} MB: doctor ÷ the greps together`)}`);
for (const mix of MIXES) {
  const [small, big] = rows.filter((r) => r.mix === mix);
  goals.push(`- ${goal(big.rssMb / small.rssMb, 1.1, `${mix.id}: peak RSS on ${big.mb} MB ÷ on ${small.mb} MB, one thread (memory independent of size)`)}`);
}
const cores = os.availableParallelism();

/** Why goals are missed, from this run's numbers, and what was tried. */
function notes() {
  const find = (id, mb) => rows.find((r) => r.mix.id === id && r.mb === mb);
  const [smallMb, bigMb] = sizesMb;
  const realSmall = find('realistic', smallMb);
  const real = find('realistic', bigMb);
  const heavy = find('broadcast-heavy', bigMb);
  const lines = (r) => r.counts[1] + r.counts[2];
  const perLine = ((heavy.singleCpu - real.singleCpu) * 1e6) / (lines(heavy) - lines(real));
  return `Why the goals are missed, from this run:
- At ${smallMb} MB the scan is not what is slow: \`doctor --log\` on a one-line log takes ${fmt(fixed.ms)} (CPU ${fmt(fixed.cpu)}: Node
  start, campfire's modules, judging, printing), against ${fmt(realSmall.grepMs)} (CPU ${fmt(realSmall.grepCpu)}) for all three greps on the
  whole realistic ${smallMb} MB log. doctor's start-up belongs to the startup benchmark (section 2).
- On one thread at ${bigMb} MB, doctor's CPU is ${ratio(real.singleCpu, real.grepCpu)} the greps' on the realistic mix and ${ratio(heavy.singleCpu, heavy.grepCpu)} on the broadcast-heavy
  one: each matched line still costs about ${perLine.toFixed(0)} ns of JavaScript (line end, channel, event, topic kind,
  duration; a byte loop runs at about 1 ns a byte), where grep only has to find the line.
- The second core: load average ${loadAfter.split(' / ')[0]} on ${cores} cores. Forced onto 2 threads doctor took
  ${ratio(heavy.twoMs, heavy.singleMs)} the single thread's wall time on ${bigMb} MB broadcast-heavy and ${ratio(real.twoMs, real.singleMs)} on realistic (CPU ${ratio(heavy.twoCpu, heavy.singleCpu)} and ${ratio(real.twoCpu, real.singleCpu)}:
  a worker's start-up, two threads sharing caches). ${heavy.twoMs < heavy.singleMs
    ? 'The second thread paid for itself here.'
    : 'With no idle core it does not pay, which is why doctor starts workers only when the load average leaves a core idle; this run could not show the gain on an idle machine, and the CPU columns are the load-independent evidence.'}

What was tried for issue 18: the range-parallel scan (ranges claimed from a shared counter, merged in file order,
equal to one pass, fuzz-tested at tiny range sizes); channel, event, topic kind and duration read from the bytes of
matched lines instead of decoding a 300-character string and running regular expressions (the expressions remain
for shapes the byte readers decline, and a test compares both on generated text; during development this took
the single-thread CPU on 300 MB broadcast-heavy from about 1.8 s to about 1.0 s); a JavaScript search for the next
"Broadcast " within a line's reach instead of a native call per line; a line's start looked up only when its
timestamp or text is needed. Not tried: the per-line work in WebAssembly, the next step for the broadcast-heavy mix.`;
}
const md = `## 3. Log scan

${new Date().toISOString().slice(0, 10)} · ${machine()} · ${grepVersion}, LANG=${process.env.LANG ?? ''} · median of ${runs} rounds after a warm-up,
each round running doctor, doctor on one thread and the three greps back to back in a rotating order, page cache warm.
Load average (1 / 5 / 15 min) before: ${loadBefore}; after: ${loadAfter} on ${cores} cores (other work shares the machine).
\`campfire doctor --log FILE --json\` (a whole process: Node start, one pass, judge, print) against
\`grep -c -i mismatch\`, \`grep -c "Broadcast successful"\` and \`grep -c "Broadcast result"\` run one after another
(the guide's three greps). doctor splits a regular file of 16 MB or more into 8 MB ranges that the main thread
and worker threads claim one by one, and merges what they counted. "doctor" decides by itself: one thread
per core left idle by the 1-minute load average (at most 4), and workers only when the first range shows the
rest would take over 100 ms. "1 thread" and "2 threads" are the same build with \`CAMPFIRE_LOG_THREADS\`
set, so what the second thread gains or costs under this run's load is measured, not assumed.

${MIXES.map((mix) => `**${mix.title}**

| log | doctor | 1 thread | 2 threads | 3 × grep -c | doctor ÷ greps | 1 thread ÷ greps | 2 threads ÷ greps | CPU (user+sys): doctor / 1 thread / 2 threads / greps | peak RSS: 1 thread / 2 threads |
|---|---|---|---|---|---|---|---|---|---|
${table(mix)}
`).join('\n')}
Memory on two threads is one worker's heap more whenever a worker was started (the first range decides), at any size.
Counts agree with grep on every run (mismatch / successful / result lines on ${rows.at(-1).mb} MB broadcast-heavy: ${rows.at(-1).counts.join(' / ')}).
The broadcast-heavy log's org-wide broadcasts, as doctor reports them: "${rows.at(-1).orgWide}".
Fixed cost in every doctor run: \`node -e 0\` ${fmt(bare)}, \`campfire --version\` ${fmt(version)}, \`doctor --log\` on a one-line log ${fmt(fixed.ms)}
(grep starts in about 1 ms);
a worker thread costs about 40 ms of CPU to start, which is why a log that scans quickly stays on one thread.

${goals.join('\n')}

${notes()}
`;
process.stdout.write(md);
