import { UsageError } from './errors.js';

/**
 * Latency percentiles in constant memory: exact while there are few samples (tests, doctor's own probes),
 * then a log-bucketed histogram with 0.5% relative error, so a log of any size costs the same memory.
 */
const EXACT_LIMIT = 4096;
const GROWTH = 1.01;
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(1e9 / MIN_MS) / Math.log(GROWTH)) + 2;

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** True when the percentiles come from the histogram (within 0.5%), false when exact. */
  approximate: boolean;
}

/** A LatencyDigest as plain data (see LatencyDigest.state). */
export interface LatencyState {
  n: number;
  maxMs: number;
  exact: number[] | null;
  histogram: Uint32Array | null;
}

export class LatencyDigest {
  private exact: number[] | null = [];
  private histogram: Uint32Array | null = null;
  private n = 0;
  private maxMs = 0;

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.n++;
    if (ms > this.maxMs) this.maxMs = ms;
    if (this.exact) {
      this.exact.push(ms);
      if (this.exact.length > EXACT_LIMIT) {
        this.histogram = new Uint32Array(BUCKETS);
        for (const v of this.exact) this.histogram[bucketOf(v)]!++;
        this.exact = null;
      }
    } else this.histogram![bucketOf(ms)]!++;
  }

  get count(): number {
    return this.n;
  }

  /**
   * The digest as plain data, to be sent from a worker thread (structured clone) and merged into another.
   * Merging gives the same digest as adding every value to one: the buckets are fixed, and a digest turns
   * into a histogram exactly when its count passes EXACT_LIMIT either way.
   */
  state(): LatencyState {
    return { n: this.n, maxMs: this.maxMs, exact: this.exact ? [...this.exact] : null, histogram: this.histogram ? this.histogram.slice() : null };
  }

  merge(other: LatencyState): void {
    if (other.exact) {
      for (const v of other.exact) this.add(v);
      return;
    }
    if (!other.histogram || other.n === 0) return;
    if (this.exact) {
      this.histogram = new Uint32Array(BUCKETS);
      for (const v of this.exact) this.histogram[bucketOf(v)]!++;
      this.exact = null;
    }
    const mine = this.histogram!;
    for (let i = 0; i < BUCKETS; i++) mine[i]! += other.histogram[i]!;
    this.n += other.n;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  summary(): LatencySummary | undefined {
    if (this.n === 0) return undefined;
    const q = (p: number) => (this.exact ? exactQuantile(this.exact, p) : this.histogramQuantile(p));
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return { count: this.n, p50: round(q(0.5)), p95: round(q(0.95)), p99: round(q(0.99)), max: round(this.maxMs), approximate: !this.exact };
  }

  private histogramQuantile(p: number): number {
    const rank = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.histogram![i]!;
      if (seen >= rank) return Math.min(this.maxMs, valueOf(i));
    }
    return this.maxMs;
  }
}

/** Nearest-rank percentile: always a value that was observed. */
export function exactQuantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
}

/** The middle of a bucket (geometric), so the error is at most half a bucket. */
function valueOf(bucket: number): number {
  if (bucket === 0) return MIN_MS;
  return MIN_MS * GROWTH ** (bucket - 0.5);
}

/** --max-latency-ms: the one latency limit every latency check of a run judges against. */
export function parseMaxLatencyMs(text: string | undefined): number {
  const value = Number(text ?? DEFAULT_MAX_LATENCY_MS);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(String(text ?? DEFAULT_MAX_LATENCY_MS)) || !(value > 0) || value > 3_600_000) {
    throw new UsageError(`--max-latency-ms must be a number of milliseconds between 1 and 3600000 (got "${text}"); the guide's limit is 1000.`);
  }
  return value;
}

/** The guide's "Messages taking >1 second". */
export const DEFAULT_MAX_LATENCY_MS = 1000;
