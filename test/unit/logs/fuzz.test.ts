import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { gatherLogs } from '../../../src/logs/gather.js';
import { LINE_CAP } from '../../../src/logs/scanner.js';
import { CaseInsensitivePattern } from '../../../src/logs/search.js';
import { leadingTimestamp } from '../../../src/logs/timestamp.js';
import { scanChunks } from '../../support/scan.js';
import { seededRandom as rng } from '../../support/random.js';


const WORDS = ['Broadcast successful: bcast:org:o2 -> message:created', 'Broadcast successful: org:o1:conversations -> conversation:updated',
  'Broadcast result: org:o1 -> message:created: 202 in 7ms', 'Broadcast successful: org:o3:conv:c9 ->', 'mismatch', 'MISMATCH', 'MisMatch', 'mis match', 'Broadcast successful: org:o1:conv:c1 -> message:created',
  'Broadcast result in 12ms', 'Broadcast result duration=3.5ms', 'Broadcast result', 'broadcast successful', 'Broadcast Result',
  '2026-11-25T23:00:00Z ', '[2026-11-25 23:10:00] ', '{"time":1795647600000,"msg":"', 'mism', 'atch', 'Broadcast ', 'successful'];

function randomInput(r: () => number): Buffer {
  const parts: Buffer[] = [];
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.35) parts.push(Buffer.from(WORDS[Math.floor(r() * WORDS.length)]!));
    else if (k < 0.55) parts.push(Buffer.from(r() < 0.5 ? '\n' : '\r\n'));
    else if (k < 0.7) parts.push(Buffer.from(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256))));
    else if (k < 0.78) parts.push(Buffer.from(WORDS[Math.floor(r() * WORDS.length)]!, 'utf16le'));
    else if (k < 0.86) parts.push(Buffer.from('héllo wörld ✅ — ', r() < 0.5 ? 'utf8' : 'latin1'));
    else if (k < 0.88) parts.push(Buffer.alloc(LINE_CAP + Math.floor(r() * LINE_CAP * 2), r() < 0.5 ? 'x' : 'mismatch '));
    else parts.push(Buffer.from(`${'2026-11-25T23:0' + Math.floor(r() * 10)}:00Z line `));
  }
  return Buffer.concat(parts);
}

/** The straightforward count: split into lines, timestamp each (inheriting), test each line whole. */
function reference(data: Buffer, since?: number) {
  return referenceDetails(data, since).counts;
}

/** The reference with what the scanner reports about time: mismatch first/last, sample timestamps. */
function referenceDetails(data: Buffer, since?: number) {
  const lines = data.toString('latin1').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let ts: number | undefined;
  const counts = { mismatch: 0, success: 0, result: 0 };
  let first = Infinity;
  let last = -Infinity;
  const sampleTimes: (string | undefined)[] = [];
  for (const line of lines) {
    ts = leadingTimestamp(line) ?? ts;
    if (since !== undefined && (ts === undefined || ts < since)) continue;
    const lower = line.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (lower.includes('mismatch')) {
      counts.mismatch++;
      if (ts !== undefined) {
        first = Math.min(first, ts);
        last = Math.max(last, ts);
      }
      if (sampleTimes.length < 5) sampleTimes.push(ts === undefined ? undefined : new Date(ts).toISOString());
    }
    if (line.includes('Broadcast successful')) counts.success++;
    if (line.includes('Broadcast result')) counts.result++;
  }
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);
  return { counts, mismatchFirst: iso(first), mismatchLast: iso(last), sampleTimes };
}

const counted = (s: ReturnType<typeof scanChunks>) => ({ mismatch: s.mismatch.count, success: s.broadcastSuccess.count, result: s.broadcastResult.count });

const timed = (s: ReturnType<typeof scanChunks>) => ({
  counts: counted(s),
  mismatchFirst: s.mismatch.firstTimestamp,
  mismatchLast: s.mismatch.lastTimestamp,
  sampleTimes: s.mismatch.samples.map((x) => x.timestamp),
});

/**
 * Stats without the log's overall first/last time: that is sampled where read regions start and end, so on
 * these unordered inputs it depends on where regions fall (on a log in time order it is the first and last
 * line's time either way).
 */
const span = ({ firstTimestamp: _f, lastTimestamp: _l, ...rest }: ReturnType<typeof scanChunks>) => rest;

describe('log fuzz: thousands of generated inputs, no crash, counts equal the reference', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('random bytes, huge lines, CRLF, mixed encodings, any chunking, with and without --since', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const data = randomInput(r);
      const sizes = Array.from({ length: 3 }, () => 1 + Math.floor(r() ** 4 * 200_000));
      const since = r() < 0.3 ? Date.parse(`2026-11-25T23:0${Math.floor(r() * 10)}:00Z`) : undefined;
      const got = timed(scanChunks(data, sizes, since));
      const want = referenceDetails(data, since);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(`seed ${seed}: got ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`);
      }
      const s = scanChunks(data, sizes, since);
      expect(s.broadcastResult.withoutDuration + (s.broadcastResult.latency?.count ?? 0)).toBe(s.broadcastResult.count);
      // Details (channels, events, durations, samples) do not depend on where reads cut the input either:
      // a line longer than the cap gives its details from its head, whether it arrived whole or in pieces.
      expect(span(s), `seed ${seed} (details)`).toEqual(span(scanChunks(data, [data.length || 1], since)));
    }
  });

  it('gzip, truncated gzip and stdin through gatherLogs', async () => {
    for (let seed = 5001; seed <= 5200; seed++) {
      const r = rng(seed);
      const data = randomInput(r);
      const gz = gzipSync(data);
      const cut = r() < 0.5 ? gz.subarray(0, Math.floor(r() * gz.length)) : gz;
      const file = path.join(dir, `f${seed}.log.gz`);
      writeFileSync(file, cut);
      const stats = await gatherLogs([file]);
      const readable = cut.length === gz.length ? data : gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH });
      expect(counted(stats as never), `seed ${seed}`).toEqual(reference(readable));
      if (cut.length < gz.length) expect(stats.files[0]!.error, `seed ${seed}`).toMatch(/gzip data is (truncated|corrupt)|counted what/);
      else expect(stats.files[0]!.error).toBeUndefined();

      const fromStdin = await gatherLogs(['-'], { stdin: Readable.from([data.subarray(0, 100), data.subarray(100)]) });
      expect(counted(fromStdin as never), `stdin seed ${seed}`).toEqual(reference(data));
    }
  });

  it('regular files through gatherLogs (read in reused buffers), with and without --since', async () => {
    for (let seed = 7001; seed <= 7150; seed++) {
      const r = rng(seed);
      // Several inputs back to back, so some files span many read buffers.
      const data = Buffer.concat(Array.from({ length: 1 + Math.floor(r() * 12) }, () => randomInput(r)));
      const since = r() < 0.3 ? Date.parse(`2026-11-25T23:0${Math.floor(r() * 10)}:00Z`) : undefined;
      const file = path.join(dir, `f${seed}.log`);
      writeFileSync(file, data);
      const stats = await gatherLogs([file], { since });
      expect(timed(stats as never), `seed ${seed}`).toEqual(referenceDetails(data, since));
      expect(stats.files[0]!.bytes).toBe(data.length);
    }
  });

  it('regular files split into ranges (the parallel scan) give what one pass gives, at every kind of boundary', async () => {
    // Run from the TypeScript sources, the ranges are scanned in this thread (no compiled worker module):
    // the same boundaries, prefixes and merge the worker threads use (test/unit/logs/parallel.test.ts runs
    // the compiled workers). Tiny ranges put boundaries everywhere: inside long lines, at CRLF, before
    // lines without a timestamp (whose inherited time the merge must supply), in files with none at all.
    for (let seed = 11001; seed <= 11200; seed++) {
      const r = rng(seed);
      const data = Buffer.concat(Array.from({ length: 1 + Math.floor(r() * 8) }, () => randomInput(r)));
      const since = r() < 0.4 ? Date.parse(`2026-11-25T23:0${Math.floor(r() * 10)}:00Z`) : undefined;
      const file = path.join(dir, `r${seed}.log`);
      writeFileSync(file, data);
      const rangeBytes = 1 + Math.floor(r() ** 2 * Math.max(1, data.length / 2));
      const split = await gatherLogs([file], { since, parallel: { threads: 2, rangeBytes } });
      const whole = await gatherLogs([file], { since, parallel: { threads: 1, rangeBytes } });
      expect(timed(split as never), `seed ${seed}`).toEqual(referenceDetails(data, since));
      // Everything else too: samples, channels, events, org-wide topics, latency.
      expect(span(split), `seed ${seed} (rangeBytes ${rangeBytes})`).toEqual(span(whole));
    }
  });

  it('a pattern cut between two pieces of a line longer than the cap is found, in any case', () => {
    const patterns = ['mismatch', 'MISMATCH', 'mIsMaTcH', 'Broadcast successful', 'Broadcast result'];
    for (let seed = 9001; seed <= 9400; seed++) {
      const r = rng(seed);
      const pattern = patterns[Math.floor(r() * patterns.length)]!;
      const before = LINE_CAP + Math.floor(r() * 5000);
      const line = `${'x'.repeat(before)}${pattern}${'x'.repeat(Math.floor(r() * 100))}\n`;
      const data = Buffer.from(`${r() < 0.5 ? '2026-11-25T23:00:00Z ' : ''}${line}short line\n`, 'latin1');
      const offset = data.indexOf(pattern);
      // The first chunk ends inside the pattern; the next pieces are tiny or large.
      const cut = offset + 1 + Math.floor(r() * (pattern.length - 1));
      const sizes = [cut, r() < 0.5 ? 1 + Math.floor(r() * 6) : 1 + Math.floor(r() * 100_000)];
      expect(counted(scanChunks(data, sizes)), `seed ${seed}`).toEqual(reference(data));
    }
  });

  it('the case-insensitive search (Horspool, and SIMD filter + Horspool) finds what /mismatch/i finds, within any bounds', () => {
    const pattern = new CaseInsensitivePattern('mismatch');
    const alphabet = ['m', 'M', 'i', 'I', 's', 'S', 'a', 'A', 't', 'T', 'c', 'C', 'h', 'H', ' ', '\n', '\xcd', '\xed'];
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const text = Array.from({ length: Math.floor(r() * 300) }, () => (r() < 0.02 ? 'mismatch' : alphabet[Math.floor(r() * alphabet.length)]!)).join('');
      const buf = Buffer.from(text, 'latin1');
      const from = Math.floor(r() * (buf.length + 1));
      const to = from + Math.floor(r() * (buf.length - from + 1));
      const re = /mismatch/gi;
      re.lastIndex = from;
      const m = re.exec(text.slice(0, to));
      const want = m ? m.index : -1;
      expect(pattern.indexIn(buf, from, to), `seed ${seed}`).toBe(want);
      // The same through the SIMD filter (16 positions at a time, the tail by Horspool).
      pattern.prepare(buf);
      expect(pattern.next(from, to), `seed ${seed} (prepared)`).toBe(want);
    }
  });
});
