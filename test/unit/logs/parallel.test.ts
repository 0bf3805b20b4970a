import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../support/random.js';

// The worker threads run compiled code only (dist/logs/range-worker.js), so this test drives the build
// (`npm test` builds first), not the TypeScript sources the other log tests import. It checks that
// workers really scanned ranges and that the merged result equals one pass over the same file.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST = path.join(ROOT, 'dist/logs');

type Gather = typeof import('../../../src/logs/gather.js');
type Parallel = typeof import('../../../src/logs/parallel.js');
type Stats = import('../../../src/logs/stats.js').LogStats;

/** A log in time order: the shapes of the guide's lines, lines without a timestamp, a few long lines. */
function log(r: () => number, lines: number): Buffer {
  const t0 = Date.parse('2026-11-25T23:00:00Z');
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const ts = r() < 0.1 ? '' : `${new Date(t0 + i * 1000).toISOString()} `;
    const k = r();
    if (k < 0.05) out.push(`${ts}[Realtime] ❌ Channel error: MisMatch between server and client bindings`);
    else if (k < 0.3) out.push(`${ts}[Realtime] ✅ Broadcast successful: ${['org:o1', 'org:o1:conversations', `org:o1:conv:c${i % 70}`, 'bcast:org:o2'][i % 4]} -> message:created`);
    else if (k < 0.55) out.push(`${ts}[Realtime] Broadcast result: org:o1:conv:c${i % 9} -> message:created: 202 in ${(i % 300) + 0.5}ms`);
    else if (k < 0.57) out.push(`${ts}${'y'.repeat(70_000)} Broadcast result took 3 ms`);
    else if (k < 0.6) out.push(`${ts}Broadcast result: no timing here`);
    else out.push(`${ts}[API] POST /api/widget/messages 200 in ${i % 90}ms`);
  }
  return Buffer.from(`${out.join(r() < 0.5 ? '\n' : '\r\n')}\n`);
}

const withoutSpan = ({ firstTimestamp: _f, lastTimestamp: _l, ...rest }: Stats) => rest;

describe.skipIf(!existsSync(path.join(DIST, 'range-worker.js')))('parallel log scan with worker threads (compiled)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-parallel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('workers scan ranges; the merged counts, samples and latency equal one pass, with and without --since', async () => {
    const { gatherLogs } = (await import(path.join(DIST, 'gather.js'))) as Gather;
    const { scanInRanges } = (await import(path.join(DIST, 'parallel.js'))) as Parallel;
    const { emptyLogStats } = await import(path.join(DIST, 'stats.js'));
    const { LatencyDigest } = await import(path.join(ROOT, 'dist/latency.js'));
    for (let seed = 1; seed <= 6; seed++) {
      const r = rng(seed);
      const data = log(r, 400 + Math.floor(r() * 3000));
      const file = path.join(dir, `p${seed}.log`);
      writeFileSync(file, data);
      const since = r() < 0.5 ? Date.parse('2026-11-25T23:10:00Z') : undefined;
      const rangeBytes = 2000 + Math.floor(r() * 40_000);
      const split = await gatherLogs([file], { since, parallel: { threads: 3, rangeBytes } });
      const whole = await gatherLogs([file], { since, parallel: { threads: 1, rangeBytes } });
      expect(whole.broadcastSuccess.count + whole.broadcastResult.count, `seed ${seed}`).toBeGreaterThan(0);
      expect(withoutSpan(split), `seed ${seed}`).toEqual(withoutSpan(whole));
      expect([split.firstTimestamp, split.lastTimestamp]).toEqual([whole.firstTimestamp, whole.lastTimestamp]);

      // The same file through scanInRanges directly, scanned by the workers alone: they took part.
      const stats = emptyLogStats();
      const entry = { name: file, bytes: 0, gzip: false };
      const { workerRanges } = await scanInRanges(file, entry, since, stats, new LatencyDigest(), { threads: 3, rangeBytes: 512, mainScans: false });
      expect(workerRanges, `seed ${seed}`).toBe(Math.ceil(data.length / 512));
      expect(entry.bytes).toBe(data.length);
      expect(stats.mismatch.count).toBe(whole.mismatch.count);
      expect(stats.broadcastSuccess.orgWide).toEqual(whole.broadcastSuccess.orgWide);
    }
  });
});
