// Startup: short commands against bare Node. Heavy modules (pg, supabase-js, execa, ws, oxc-parser,
// xmlbuilder2, ora) must load only in the commands that need them (test/e2e/startup-modules.test.ts checks
// that exactly); this measures what is left. The machine is shared, so every round runs each command once,
// in a rotating order (a burst of load hits all of them alike), and the result is the median per command
// with its spread (25th–75th percentile).
// `npx campfire` is measured twice: in a project that installed the `npm pack` tarball (what users run:
// npx finds node_modules/.bin/campfire) and in this repository (npm's self-exec path for a package's own bin).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { packedProject } from '../scripts/packed-project.mjs';
import { BIN, ROOT, fmt, goal, machine, median, time } from './lib.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 41);
// A supported setup: the Node running this benchmark (22) is the one on PATH, for npm and for campfire.
const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
const packed = packedProject(env);
const cases = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ['campfire --version', process.execPath, [BIN, '--version']],
  ['campfire checks', process.execPath, [BIN, 'checks']],
  ['campfire --help', process.execPath, [BIN, '--help']],
  // npm's own start, the floor under any npx call: what npx adds beyond it is its search for the bin.
  ['npm --version', 'npm', ['--version'], packed.project],
  ['npx campfire --version (installed from npm pack)', 'npx', ['campfire', '--version'], packed.project],
  ['npx campfire --version (in this repository)', 'npx', ['campfire', '--version'], ROOT],
];
const samples = cases.map(() => []);
for (const [, cmd, args, cwd] of cases) time(cmd, args, { runs: 1, cwd, env }); // warm-up: page cache, compile cache
for (let round = 0; round < runs; round++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (round + k) % cases.length;
    samples[i].push(...time(cases[i][1], cases[i][2], { runs: 1, warmup: false, cwd: cases[i][3], env }));
  }
}
rmSync(packed.dir, { recursive: true, force: true });
// npm ls exits non-zero on an extraneous, missing or invalid package: the tree npx reads must match the lockfile.
const ls = spawnSync('npm', ['ls', '--all'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
const lsProblems = `${ls.stdout}${ls.stderr}`.split('\n').filter((l) => /extraneous|missing|invalid|ERR!/.test(l));
const engineWarnings = (packed.installOutput.match(/EBADENGINE/g) ?? []).length;

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
${rows
  .slice(5)
  .map((r) => {
    const extra = r.ms - rows[1].ms;
    return `- ${extra <= 300 ? '✓' : '✗'} ${r.name}: ${fmt(extra)} more than the direct run (goal ≤ 300 ms)`;
  })
  .join('\n')}
- ${ls.status === 0 ? '✓ `npm ls --all` is clean' : `✗ \`npm ls --all\` exits ${ls.status}: ${lsProblems.join('; ')}`}; installing the tarball printed ${engineWarnings} EBADENGINE warning${engineWarnings === 1 ? '' : 's'} on Node ${process.versions.node}

In this repository npm 11 runs a package's own bin by installing the folder as a link in its npx cache and
reading the whole linked tree (every dev dependency) on each call; in a project that installed campfire, npx
runs node_modules/.bin/campfire after reading only its own tree. \`npm run campfire -- …\` skips both.
`;
process.stdout.write(md);
