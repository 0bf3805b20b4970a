// Startup: short commands against bare Node. Heavy modules (pg, supabase-js, execa, ws, oxc-parser,
// xmlbuilder2, ora) must load only in the commands that need them (test/e2e/startup-modules.test.ts checks
// that exactly); this measures what is left. The machine is shared, so every round runs each command once,
// in a rotating order (a burst of load hits all of them alike), and the result is the median per command
// with its spread (25th–75th percentile).
import { BIN, fmt, goal, machine, median, time } from './lib.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 41);
const cases = [
  ['node -e 0', ['-e', '0']],
  ['campfire --version', [BIN, '--version']],
  ['campfire checks', [BIN, 'checks']],
  ['campfire --help', [BIN, '--help']],
];
const samples = cases.map(() => []);
for (const [, args] of cases) time(process.execPath, args, { runs: 1 }); // warm-up: page cache, compile cache
for (let round = 0; round < runs; round++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (round + k) % cases.length;
    samples[i].push(...time(process.execPath, cases[i][1], { runs: 1, warmup: false }));
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const rows = cases.map(([name], i) => ({ name, ms: median(samples[i]), q1: quantile(samples[i], 0.25), q3: quantile(samples[i], 0.75) }));
const bare = rows[0].ms;
// The ratio's spread: each command's quartiles against bare node's median.
const md = `## 2. Startup

${new Date().toISOString().slice(0, 10)} · ${machine()} · ${runs} rounds after a warm-up; each round runs every command once, in a rotating order.

| command | median | 25th–75th percentile | ÷ \`node -e 0\` median |
|---|---|---|---|
${rows.map((r) => `| \`${r.name}\` | ${fmt(r.ms)} | ${fmt(r.q1)} – ${fmt(r.q3)} | ${(r.ms / bare).toFixed(2)}× (${(r.q1 / bare).toFixed(2)}–${(r.q3 / bare).toFixed(2)}) |`).join('\n')}

${rows
  .slice(1, 3)
  .map((r) => `- ${goal(r.ms / bare, 1.5, `${r.name} ÷ bare node`)}`)
  .join('\n')}
`;
process.stdout.write(md);
