import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { LatencyDigest } from '../latency.js';
import { defaultParallel, scanInRanges, worthSplitting, type ParallelOptions } from './parallel.js';
import { LogScanner } from './scanner.js';
import { emptyLogStats, type LogFileStats, type LogStats } from './stats.js';

export interface GatherLogsOptions {
  /** Only lines whose leading (or inherited) timestamp is at or after this (ms since the epoch). */
  since?: number;
  /** Where "-" reads from. */
  stdin?: Readable;
  /** How large regular files are split across threads (parallel.ts); the default uses the machine's cores. */
  parallel?: ParallelOptions;
}

const CHUNK = 1024 * 1024;
/** Regular files are read into one reused buffer of this size (small enough to stay in a core's L2 cache). */
const FILE_CHUNK = 256 * 1024;
/** Bytes read between two turns of the event loop (a spinner keeps turning, timers fire). */
const YIELD_EVERY = 32 * 1024 * 1024;

/**
 * A regular file: synchronous reads into one reused buffer, so no chunk is allocated and no read waits for
 * a thread-pool hand-off (which on a busy machine cost more wall time than the reads themselves).
 * FIFOs and devices, which may block, go through the stream instead.
 */
async function readRegularFile(file: string, scanner: LogScanner, entry: LogFileStats): Promise<void> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(FILE_CHUNK);
    let sinceYield = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, FILE_CHUNK, null);
      if (n === 0) return;
      entry.bytes += n;
      scanner.push(buffer.subarray(0, n));
      sinceYield += n;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads every log file once, in order, in constant memory. A file that cannot be opened is a usage error
 * (nothing was judged yet); a file that breaks off midway (truncated gzip, I/O error) keeps the counts of
 * what was read and records why it stopped.
 */
export async function gatherLogs(files: readonly string[], opts: GatherLogsOptions = {}): Promise<LogStats> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('--log - (standard input) can be given only once.');
  for (const f of files) if (f !== '-') await checkReadable(f);
  const stats = emptyLogStats();
  if (opts.since !== undefined) stats.since = new Date(opts.since).toISOString();
  const latency = new LatencyDigest();
  const parallel = opts.parallel ?? defaultParallel();
  for (const file of files) {
    const name = file === '-' ? '(stdin)' : file;
    const gzip = file === '-' ? false : file.endsWith('.gz') || (await startsWithGzipMagic(file));
    const entry: LogFileStats = { name, bytes: 0, gzip };
    stats.files.push(entry);
    const size = file !== '-' && !gzip ? await regularFileSize(file) : undefined;
    if (size !== undefined && worthSplitting(size, parallel)) {
      try {
        await scanInRanges(file, entry, opts.since, stats, latency, parallel);
      } catch (err) {
        entry.error = describeReadError(err, false);
      }
      continue;
    }
    const scanner = new LogScanner(stats, name, opts.since, latency);
    if (size !== undefined) {
      try {
        await readRegularFile(file, scanner, entry);
      } catch (err) {
        entry.error = describeReadError(err, false);
      }
      scanner.end();
      continue;
    }
    const raw = file === '-' ? (opts.stdin ?? process.stdin) : createReadStream(file, { highWaterMark: CHUNK });
    const source = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
    try {
      for await (const chunk of source) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        entry.bytes += buf.length;
        scanner.push(buf);
      }
    } catch (err) {
      entry.error = describeReadError(err, gzip);
    } finally {
      if (gzip) raw.destroy();
    }
    scanner.end();
  }
  const summary = latency.summary();
  if (summary) stats.broadcastResult.latency = summary;
  return stats;
}

async function checkReadable(file: string): Promise<void> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new UsageError(`--log ${file} is a directory: give the log file itself (repeat --log for several).`);
    const fh = await open(file, 'r');
    await fh.close();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code})`;
    throw new UsageError(`--log ${file} ${why}: give the path of your server log (use - for standard input).`);
  }
}

/** The size of a regular file; undefined for a FIFO or device (read as a stream). */
async function regularFileSize(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined; // the stream reports it
  }
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch {
    return false; // a FIFO or device: read it as text
  } finally {
    await fh.close();
  }
}

function describeReadError(err: unknown, gzip: boolean): string {
  const e = err as NodeJS.ErrnoException;
  if (gzip && (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR')) {
    return `gzip data is ${e.code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt'} (${e.message}); counted what could be read before it`;
  }
  return `reading stopped: ${e.message ?? String(err)}; counted what was read before it`;
}
