import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LatencyDigest } from '../latency.js';
import { packageRoot } from '../paths.js';
import { mergeStats, planRanges, scanPrefix, scanRange, type RangeResult, type RangeTask } from './ranges.js';
import type { WorkerInput, WorkerMessage } from './range-worker.js';
import type { LogFileStats, LogStats } from './stats.js';

/**
 * The parallel scan of one regular file: it is cut into ranges of about RANGE_BYTES (ranges.ts) that the
 * main thread and worker threads claim one at a time from a shared counter, so a thread that started late
 * or runs on a busier core simply claims fewer. Results are merged in file order, which gives the counts,
 * timestamps and samples one pass gives. Memory stays constant: each thread holds one read buffer.
 * Workers start only once the first range shows they would pay for their start-up (WORKER_WORTH_MS).
 * Standard input and gzip cannot be read from the middle, so they stay one streaming pass (gather.ts).
 */

/** Small enough that threads finish close together, large enough that claiming and merging cost nothing. */
export const RANGE_BYTES = 8 * 1024 * 1024;
/** Past a few threads the scan is bound by memory bandwidth, not by cores. */
const MAX_THREADS = 4;
const READ_CHUNK = 256 * 1024;
/**
 * Workers are started only when the rest of the scan, estimated from the first range, would take longer
 * than this: a worker thread costs about 40 ms of CPU to start (measured in bench/log-scan.mjs), so on a
 * file that scans quickly (a mostly quiet log) it would cost more than it saves.
 */
const WORKER_WORTH_MS = 100;

export interface ParallelOptions {
  /** Threads scanning at once, the main thread included (1: one pass, no workers). */
  threads: number;
  rangeBytes: number;
  /**
   * Whether this thread claims ranges too (the default). Without, it only waits and merges: the tests use
   * that to know the workers did the scanning, whatever the machine's timing.
   */
  mainScans?: boolean;
}

/**
 * One thread per core that is idle now (at most MAX_THREADS): the 1-minute load average says how many
 * are busy, and a worker on a core other processes already keep busy only adds its start-up and cache
 * misses (measured: slower than one thread on a loaded 2-core machine). CAMPFIRE_LOG_THREADS sets the
 * number outright (the benchmark compares one thread with two in the same run).
 */
export function defaultParallel(): ParallelOptions {
  const asked = Number(process.env.CAMPFIRE_LOG_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return { threads: Math.min(asked, 64), rangeBytes: RANGE_BYTES };
  const cores = os.availableParallelism();
  // This process is one of the running ones: with the load at 1.0 on 2 cores the other core is free.
  const idle = Math.floor(cores - os.loadavg()[0]! + 0.5);
  return { threads: Math.max(1, Math.min(cores, MAX_THREADS, idle + 1)), rangeBytes: RANGE_BYTES };
}

/** A file smaller than two ranges is done before a worker thread has started. */
export function worthSplitting(size: number, opts: ParallelOptions): boolean {
  return opts.threads > 1 && size >= 2 * opts.rangeBytes;
}

/**
 * The worker's module, compiled: dist/logs/range-worker.js (the bundled CLI in dist/ and tsc's dist/logs/
 * both find it). Run from TypeScript sources (the unit tests) there is none, and every range is scanned
 * in this thread: the same ranges, the same merge, one core.
 */
function workerScript(): string | null {
  if (!fileURLToPath(import.meta.url).endsWith('.js')) return null;
  const script = path.join(packageRoot, 'dist', 'logs', 'range-worker.js');
  return existsSync(script) ? script : null;
}

/**
 * Scans `file` in ranges on opts.threads threads and adds what it found to `stats` and `latency`. Returns how
 * many ranges worker threads scanned (the rest were scanned in this thread).
 */
export async function scanInRanges(
  file: string,
  entry: LogFileStats,
  since: number | undefined,
  stats: LogStats,
  latency: LatencyDigest,
  opts: ParallelOptions,
): Promise<{ workerRanges: number }> {
  const fd = openSync(file, 'r');
  let bounds: number[];
  try {
    const size = fstatSync(fd).size;
    bounds = planRanges(fd, size, Math.max(1, Math.ceil(size / opts.rangeBytes)));
  } finally {
    closeSync(fd);
  }
  entry.bytes = bounds.at(-1)!;
  const count = bounds.length - 1;
  const task = (i: number, start = bounds[i]!, end = bounds[i + 1]!): RangeTask => ({ file, name: entry.name, since, start, end });
  const results: (RangeResult | undefined)[] = new Array(count);
  const fromWorker: boolean[] = new Array(count).fill(false);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const script = workerScript();
  const workers: Promise<void>[] = [];
  const startWorkers = () => {
    const input: WorkerInput = { file, name: entry.name, since, bounds, next, chunk: READ_CHUNK };
    const left = count - Math.min(count, Atomics.load(next, 0));
    for (let w = 0; w < Math.min(opts.threads - 1, left); w++) workers.push(runWorker(script!, input, results, fromWorker));
  };
  const mainScans = opts.mainScans !== false || !script;
  if (!mainScans) startWorkers();
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const started = performance.now();
  while (mainScans) {
    const index = Atomics.add(next, 0, 1);
    if (index >= count) break;
    results[index] = scanRange(task(index), index === 0, buffer);
    if (script && workers.length === 0 && index === 0) {
      // The first range tells how fast this log scans (its mix of matched lines decides more than its size).
      const estimate = (performance.now() - started) * (count - 1);
      if (estimate > WORKER_WORTH_MS) startWorkers();
    }
    // A turn of the event loop between ranges: worker results are received, a spinner turns.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
  let workerRanges = 0;
  // In file order: a range's prefix (lines before its first own timestamp) inherits the timestamp in effect
  // at the end of everything before it, known only now.
  let ts: number | undefined;
  for (let i = 0; i < count; i++) {
    // A range a worker claimed but never returned (the worker failed) is scanned here.
    if (fromWorker[i]) workerRanges++;
    const r = results[i] ?? scanRange(task(i), i === 0, buffer);
    if (r.bodyStart > bounds[i]!) {
      const prefix = scanPrefix(task(i, bounds[i], r.bodyStart), ts, buffer);
      absorb(prefix, stats, latency, entry);
      ts = prefix.endTs;
    }
    absorb(r, stats, latency, entry);
    if (r.bodyStart < bounds[i + 1]!) ts = r.endTs;
  }
  return { workerRanges };
}

function absorb(r: RangeResult, stats: LogStats, latency: LatencyDigest, entry: LogFileStats): void {
  mergeStats(stats, r.stats);
  latency.merge(r.latency);
  if (r.error && !entry.error) entry.error = r.error;
}

/** Resolves when the worker has exited, whether it finished or failed (its unfinished ranges are then rescanned). */
function runWorker(script: string, input: WorkerInput, results: (RangeResult | undefined)[], fromWorker: boolean[]): Promise<void> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: input, stdout: false, stderr: false });
    } catch {
      resolve();
      return;
    }
    worker.on('message', (m: WorkerMessage) => {
      results[m.index] = m.result;
      fromWorker[m.index] = true;
    });
    worker.on('error', () => {});
    worker.once('exit', () => resolve());
  });
}
