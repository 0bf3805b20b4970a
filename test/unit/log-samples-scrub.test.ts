import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherLogs } from '../../src/logs/gather.js';
import { tempDir } from '../support/fix.js';
import { seededRandom } from '../support/random.js';
import { SHAPES } from '../support/secret-shapes.js';

/**
 * Property: credentials of every shape, at random offsets in "mismatch" and "Broadcast result" lines of
 * random length (across the 200-character sample cut and the scanner's buffer boundaries), never appear in
 * the samples the logs checks print. CAMPFIRE_LONG_PROPERTY=1 runs many more.
 */
const RUNS = process.env.CAMPFIRE_LONG_PROPERTY ? 300 : 25;

describe('log samples never carry a credential', () => {
  it(`random secrets at random offsets (${RUNS} runs)`, async () => {
    const dir = tempDir();
    for (let run = 0; run < RUNS; run++) {
      const seed = 0x10a5 + run;
      const rnd = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const word = (n: number) => Array.from({ length: n }, () => pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''))).join('');
      const secrets: string[] = [];
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) {
        const shape = pick(SHAPES);
        const value = `Ls${word(8 + Math.floor(rnd() * 16))}`;
        secrets.push(shape.secret(value));
        const filler = Array.from({ length: Math.floor(rnd() * 60) }, () => word(1 + Math.floor(rnd() * 8))).join(' ');
        const cut = Math.floor(rnd() * filler.length);
        const kind = pick(['mismatch between server and client bindings', '[Realtime] Broadcast result']);
        lines.push(`2026-11-25T23:10:${String(i % 60).padStart(2, '0')}Z ${kind} ${filler.slice(0, cut)} ${shape.text(value)} ${filler.slice(cut)}`);
        if (rnd() < 0.3) lines.push('x'.repeat(Math.floor(rnd() * 300_000))); // moves the next lines across read buffers
      }
      const file = path.join(dir, `run-${run}.log`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const stats = await gatherLogs([file]);
      const shown = JSON.stringify([stats.mismatch.samples, stats.broadcastResult.samplesWithoutDuration]);
      for (const s of secrets) expect(shown, `seed ${seed}`).not.toContain(s);
      expect(stats.mismatch.samples.length + stats.broadcastResult.samplesWithoutDuration.length).toBeGreaterThan(0);
    }
  });
});
