// A restart command that prints a lot: `node flood.mjs MEGABYTES` with FLOOD_SECRET in the environment (so the command line itself holds no secret). Lines of filler, a secret that
// straddles the first 64 KiB pipe chunk, colour escapes, and at the end the peak RSS (VmHWM) of the campfire
// process that runs it (found by walking up the parent processes), so the test can read it from the report.
import { readFileSync } from 'node:fs';

const megabytes = Number(process.argv[2]);
const secret = process.env.FLOOD_SECRET;
const write = (s) => (process.stdout.write(s) ? Promise.resolve() : new Promise((r) => process.stdout.once('drain', r)));

const lead = `postgres://app:${secret}@db.internal/app`;
await write(`${'x'.repeat(65_536 - 20)} ${lead} \u001b[31mred\u001b[0m\n`);
const line = `${'restart log line '.repeat(6)}\n`;
const block = line.repeat(Math.ceil(65_536 / line.length));
for (let written = 0; written < megabytes * 1024 * 1024; written += block.length) await write(block);
await write(`Authorization: Basic ${Buffer.from(`app:${secret}`).toString('base64')}\n`);

function campfirePeakKb() {
  for (let pid = process.ppid; pid > 1; ) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('campfire.js')) return /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    pid = Number(/^\d+ \(.*\) \S (\d+)/s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 1);
  }
  return undefined;
}
await write(`CAMPFIRE_PEAK_RSS_KB=${campfirePeakKb() ?? 'unknown'}\n`);
