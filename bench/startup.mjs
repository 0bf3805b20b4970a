// Startup: short commands against bare Node. Heavy modules (pg, supabase-js, execa, xmlbuilder2) must
// load only in the commands that need them.
import { BIN, fmt, goal, machine, median, ratio, time } from './lib.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const bare = median(time(process.execPath, ['-e', '0'], { runs }));
const cases = [['campfire --version', ['--version']], ['campfire checks', ['checks']], ['campfire --help', ['--help']]];
const rows = cases.map(([name, args]) => {
  const ms = median(time(process.execPath, [BIN, ...args], { runs }));
  return { name, ms, r: ms / bare };
});
const md = `## 2. Startup

${new Date().toISOString().slice(0, 10)} · ${machine()} · median of ${runs} runs after a warm-up.

| command | median | ÷ \`node -e 0\` (${fmt(bare)}) |
|---|---|---|
${rows.map((r) => `| \`${r.name}\` | ${fmt(r.ms)} | ${ratio(r.ms, bare)} |`).join('\n')}

${rows.map((r) => `- ${goal(r.r, 1.5, `${r.name} ÷ bare node`)}`).join('\n')}
`;
process.stdout.write(md);
