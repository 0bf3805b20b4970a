// npm run bench: runs every benchmark, each comparing campfire with what people would otherwise run, and
// writes BENCHMARKS.md from their Markdown output (one section each, in this order).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, machine } from './lib.mjs';

const BENCHES = [
  ['catalog-scale.mjs', 'Catalog scale'],
  ['startup.mjs', 'Startup'],
  ['log-scan.mjs', 'Log scan'],
  ['probe-broadcast.ts', 'Broadcast probe'],
  ['fix-scale.mjs', 'Fix at scale'],
  ['client-scan.mjs', 'Client code scan'],
  ['shadow.mjs', 'Shadow database'],
];
const only = process.argv.slice(2);
const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
const sections = [];
for (const [file, title] of BENCHES) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  const script = path.join(ROOT, 'bench', file);
  if (!existsSync(script)) {
    sections.push(`## ${title}\n\nNot run: bench/${file} does not exist.`);
    continue;
  }
  process.stderr.write(`== ${file}\n`);
  const r = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const out = r.stdout.trim();
  // Scripts that print plain lines rather than a Markdown section are quoted as they are.
  const body = out.startsWith('## ') ? out : `## ${title}\n\n\`node bench/${file}\`:\n\n\`\`\`\n${out}\n\`\`\``;
  sections.push(r.status === 0 ? body : `${body}\n\n**Failed** with exit code ${r.status}.`);
}
const doc = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString()} (${machine()}; load average at the start
${loadAtStart} over 1 / 5 / 15 min: other work shared the machine, which is why every benchmark compares within rounds).
Each benchmark compares campfire with what a person would otherwise run, on the same input in the same run,
over several repetitions. Medians and ratios are the result: absolute times on a shared machine are noise.
A goal that is missed says so and by how much.

${sections.join('\n\n')}
`;
if (!only.length) writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), doc);
process.stdout.write(doc);
