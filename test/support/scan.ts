import { LatencyDigest } from '../../src/latency.js';
import { LogScanner } from '../../src/logs/scanner.js';
import { emptyLogStats, type LogStats } from '../../src/logs/stats.js';

/**
 * Runs the scanner over `data` split into the given chunk sizes (cycled), as a reader would deliver it:
 * every chunk is copied into one reused buffer that is overwritten after push(), as gather.ts does, so a
 * scanner that kept a reference to a chunk would see garbage.
 */
export function scanChunks(data: Buffer, chunkSizes: number[] = [data.length || 1], since?: number): LogStats {
  const stats = emptyLogStats();
  const latency = new LatencyDigest();
  const scanner = new LogScanner(stats, 'test.log', since, latency);
  const reused = Buffer.alloc(Math.max(1, ...chunkSizes));
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    const n = data.copy(reused, 0, at, at + size);
    scanner.push(reused.subarray(0, n));
    reused.fill(0x7e);
    at += size;
  }
  scanner.end();
  const summary = latency.summary();
  if (summary) stats.broadcastResult.latency = summary;
  return stats;
}
