import { closeSync, openSync, readSync } from 'node:fs';
import { LatencyDigest, type LatencyState } from '../latency.js';
import { LogScanner } from './scanner.js';
import { countCapped, emptyLogStats, MAX_SAMPLES, type LogStats } from './stats.js';
import { timestampAt } from './timestamp.js';

/**
 * A regular file cut into byte ranges that start at line starts, so each can be scanned on its own (by a
 * worker thread: parallel.ts) and the results merged into what one pass would have counted.
 *
 * The one thing a range cannot know alone is the timestamp its first lines inherit when they have none of
 * their own (with --since it decides whether they count; it dates mismatch lines and samples). So a range
 * after the first scans only from its first line that carries its own timestamp (its "body"); the lines
 * before it are scanned afterwards, in file order, by the caller, which by then knows what they inherit.
 * In a log whose lines all carry a timestamp, that prefix is empty.
 */

const NL = 0x0a;
/** Bytes read per call (small enough to stay in a core's L2 cache; the buffer is reused). */
const READ_CHUNK = 256 * 1024;
/** How far into a range its first own-timestamped line is looked for; past it the whole range is left to the caller. */
const LOOK_BYTES = 64 * 1024;
/** timestampAt reads at most this much of a line (the JSON window); a shorter cut-off line cannot be judged. */
const TIMESTAMP_WINDOW = 400;

/** Range boundaries [0, b1, …, size]: about `count` ranges of equal size, each boundary a line start. */
export function planRanges(fd: number, size: number, count: number): number[] {
  const bounds = [0];
  const window = Buffer.allocUnsafe(64 * 1024);
  for (let i = 1; i < count; i++) {
    const nominal = Math.max(Math.floor((size * i) / count), bounds.at(-1)!);
    bounds.push(nominal === 0 ? 0 : lineStartFrom(fd, nominal, size, window));
  }
  bounds.push(size);
  return bounds;
}

/** The first line start at or after `pos` (> 0): just after the first newline at or after pos - 1; `size` if none. */
function lineStartFrom(fd: number, pos: number, size: number, window: Buffer): number {
  let at = pos - 1;
  while (at < size) {
    const n = readSync(fd, window, 0, Math.min(window.length, size - at), at);
    if (n === 0) break;
    const nl = window.subarray(0, n).indexOf(NL);
    if (nl >= 0) return at + nl + 1;
    at += n;
  }
  return size;
}

export interface RangeTask {
  file: string;
  /** The file's name in samples. */
  name: string;
  start: number;
  end: number;
  since?: number;
}

export interface RangeResult {
  /** Where the scanned lines begin: `start` for the first range, else the first line with its own timestamp. */
  bodyStart: number;
  stats: LogStats;
  latency: LatencyState;
  /** The timestamp in effect at the range's end (when its body is not empty). */
  endTs?: number;
  error?: string;
}

/** Scans one range; a range after the first only from its first own-timestamped line (see above). */
export function scanRange(task: RangeTask, first: boolean, buffer: Buffer): RangeResult {
  const stats = emptyLogStats();
  const latency = new LatencyDigest();
  let bodyStart = task.start;
  let error: string | undefined;
  let endTs: number | undefined;
  let fd: number | undefined;
  try {
    fd = openSync(task.file, 'r');
    if (!first) bodyStart = firstOwnTimestamp(fd, task.start, task.end, buffer);
    const scanner = new LogScanner(stats, task.name, task.since, latency);
    try {
      readInto(fd, bodyStart, task.end, buffer, scanner);
    } catch (err) {
      error = readError(err);
    }
    scanner.end();
    endTs = scanner.timestampInEffect;
  } catch (err) {
    error = readError(err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { bodyStart, stats, latency: latency.state(), endTs, error };
}

/**
 * Scans [start, end) of `file` as lines that inherit `inherited` (the prefix a range left to the caller),
 * into fresh stats. Returns them with the timestamp in effect at the end.
 */
export function scanPrefix(task: RangeTask, inherited: number | undefined, buffer: Buffer): RangeResult {
  const stats = emptyLogStats();
  const latency = new LatencyDigest();
  const scanner = new LogScanner(stats, task.name, task.since, latency, inherited);
  let error: string | undefined;
  let fd: number | undefined;
  try {
    fd = openSync(task.file, 'r');
    readInto(fd, task.start, task.end, buffer, scanner);
  } catch (err) {
    error = readError(err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  scanner.end();
  return { bodyStart: task.start, stats, latency: latency.state(), endTs: scanner.timestampInEffect, error };
}

function readInto(fd: number, from: number, to: number, buffer: Buffer, scanner: LogScanner): void {
  let pos = from;
  while (pos < to) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, to - pos), pos);
    if (n === 0) throw new Error('the file got shorter while it was read');
    scanner.push(buffer.subarray(0, n));
    pos += n;
  }
}

/** The start of the first line in [start, end) with a timestamp of its own, or `end` when none is found within LOOK_BYTES. */
function firstOwnTimestamp(fd: number, start: number, end: number, buffer: Buffer): number {
  const look = buffer.length >= LOOK_BYTES ? buffer.subarray(0, LOOK_BYTES) : Buffer.allocUnsafe(LOOK_BYTES);
  const want = Math.min(LOOK_BYTES, end - start);
  let n = 0;
  while (n < want) {
    const got = readSync(fd, look, n, want - n, start + n);
    if (got === 0) break;
    n += got;
  }
  const more = start + n < end;
  let pos = 0;
  while (pos < n) {
    const nl = look.subarray(0, n).indexOf(NL, pos);
    const lineEnd = nl < 0 ? n : nl;
    // A line cut off by the look window is judged only if the window holds all timestampAt would read.
    if (nl < 0 && more && n - pos < TIMESTAMP_WINDOW) return end;
    if (timestampAt(look, pos, lineEnd) !== undefined) return start + pos;
    if (nl < 0) return end;
    pos = nl + 1;
  }
  return end;
}

function readError(err: unknown): string {
  return `reading stopped: ${(err as Error).message ?? String(err)}; counted what was read before it`;
}

const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a <= b ? a : b);
const later = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a >= b ? a : b);

/**
 * Adds `from` (the stats of a later part of the same run) to `into`, as if one scanner had gone on.
 * Counts, timestamps and samples come out exactly as one pass gives them. The capped maps (channels,
 * events, org-wide topics) keep the same first MAX_DISTINCT keys one pass keeps; a key's count can only be
 * lower when a range met it after its own first MAX_DISTINCT keys (that part then sits in otherChannels /
 * otherTopics, so the totals still add up).
 */
export function mergeStats(into: LogStats, from: LogStats): void {
  const first = earlier(into.firstTimestamp, from.firstTimestamp);
  const last = later(into.lastTimestamp, from.lastTimestamp);
  if (first !== undefined) into.firstTimestamp = first;
  if (last !== undefined) into.lastTimestamp = last;
  const m = into.mismatch;
  m.count += from.mismatch.count;
  const mFirst = earlier(m.firstTimestamp, from.mismatch.firstTimestamp);
  const mLast = later(m.lastTimestamp, from.mismatch.lastTimestamp);
  if (mFirst !== undefined) m.firstTimestamp = mFirst;
  if (mLast !== undefined) m.lastTimestamp = mLast;
  m.samples.push(...from.mismatch.samples.slice(0, MAX_SAMPLES - m.samples.length));
  const s = into.broadcastSuccess;
  const f = from.broadcastSuccess;
  s.count += f.count;
  s.otherChannels += f.otherChannels + mergeCapped(s.channels, f.channels);
  mergeCapped(s.events, f.events); // events past the cap are not counted, as in one pass
  s.orgWide.count += f.orgWide.count;
  s.orgWide.otherTopics += f.orgWide.otherTopics + mergeCapped(s.orgWide.topics, f.orgWide.topics);
  s.conversation += f.conversation;
  const r = into.broadcastResult;
  r.count += from.broadcastResult.count;
  r.withoutDuration += from.broadcastResult.withoutDuration;
  r.samplesWithoutDuration.push(...from.broadcastResult.samplesWithoutDuration.slice(0, MAX_SAMPLES - r.samplesWithoutDuration.length));
}

/** Adds the counts of `from` to `into` (at most MAX_DISTINCT keys); returns the sum of those that did not fit. */
function mergeCapped(into: Record<string, number>, from: Record<string, number>): number {
  const map = new Map(Object.entries(into));
  let left = 0;
  for (const [k, n] of Object.entries(from)) if (!countCapped(map, k, n)) left += n;
  for (const [k, n] of map) into[k] = n;
  return left;
}
