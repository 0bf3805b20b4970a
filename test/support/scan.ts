import { LatencyDigest } from '../../src/latency.js';
import { LogScanner } from '../../src/logs/scanner.js';
import { emptyLogStats, type LogStats } from '../../src/logs/stats.js';

/** Runs the scanner over `data` split into the given chunk sizes (cycled), as a stream would deliver it. */
export function scanChunks(data: Buffer, chunkSizes: number[] = [data.length || 1], since?: number): LogStats {
  const stats = emptyLogStats();
  const latency = new LatencyDigest();
  const scanner = new LogScanner(stats, 'test.log', since, latency);
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    scanner.push(data.subarray(at, at + size));
    at += size;
  }
  scanner.end();
  const summary = latency.summary();
  if (summary) stats.broadcastResult.latency = summary;
  return stats;
}
