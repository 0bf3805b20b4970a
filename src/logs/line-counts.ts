import type { LatencyDigest } from '../latency.js';
import { ByteKeys, FALLBACK, targetAt, topicKindAt, unitDurationAt } from './line-bytes.js';
import { broadcastTarget, durationMs, sampleText } from './line-details.js';
import { MAX_DISTINCT, MAX_SAMPLE_CHARS, MAX_SAMPLES, type LogSample, type LogStats } from './stats.js';

/**
 * What a matched line adds to the stats (scanner.ts finds the lines): mismatch counts, times and samples;
 * channels, events and org-wide topics of "Broadcast successful" lines; durations of "Broadcast result"
 * lines. Details are read from the line's bytes (line-bytes.ts), with the regular expressions of
 * line-details.ts for the shapes the byte readers decline.
 */
export class LineCounts {
  private mismatchFirst = Infinity;
  private mismatchLast = -Infinity;
  /**
   * The channel, event and org-wide topic counters, as Maps while scanning, starting from what other files
   * of the run counted; written back to the stats by finish().
   */
  private readonly channels: Map<string, number>;
  private readonly events: Map<string, number>;
  private readonly orgTopics: Map<string, number>;
  /** The same maps' keys found from a line's bytes (no string per line: see line-bytes.ts). */
  private readonly channelKeys: ByteKeys;
  private readonly eventKeys: ByteKeys;
  private readonly orgTopicKeys: ByteKeys;
  /** Where targetAt found the channel and the event: [channelStart, channelEnd, eventStart, eventEnd]. */
  private readonly target = new Int32Array(4);

  constructor(
    private readonly stats: LogStats,
    private readonly file: string,
    private readonly latency: LatencyDigest,
  ) {
    const b = stats.broadcastSuccess;
    this.channels = new Map(Object.entries(b.channels));
    this.events = new Map(Object.entries(b.events));
    this.orgTopics = new Map(Object.entries(b.orgWide.topics));
    this.channelKeys = new ByteKeys(this.channels, MAX_DISTINCT);
    this.eventKeys = new ByteKeys(this.events, MAX_DISTINCT);
    this.orgTopicKeys = new ByteKeys(this.orgTopics, MAX_DISTINCT);
  }

  /** Writes the counters back to the stats. */
  finish(): void {
    const b = this.stats.broadcastSuccess;
    for (const [channel, n] of this.channels) b.channels[channel] = n;
    for (const [event, n] of this.events) b.events[event] = n;
    for (const [topic, n] of this.orgTopics) b.orgWide.topics[topic] = n;
  }

  mismatch(ts: number | undefined, line: Buffer): void {
    const m = this.stats.mismatch;
    m.count++;
    if (ts !== undefined && !Number.isNaN(ts)) {
      // Compared as numbers; an ISO string is made only when the first or last time changes.
      // (Other files of the run may already have set an earlier first or later last time.)
      if (ts < this.mismatchFirst) {
        const iso = new Date((this.mismatchFirst = ts)).toISOString();
        if (!m.firstTimestamp || iso < m.firstTimestamp) m.firstTimestamp = iso;
      }
      if (ts > this.mismatchLast) {
        const iso = new Date((this.mismatchLast = ts)).toISOString();
        if (!m.lastTimestamp || iso > m.lastTimestamp) m.lastTimestamp = iso;
      }
    }
    if (m.samples.length < MAX_SAMPLES) m.samples.push(this.sample(ts, line));
  }

  /** Counts a "Broadcast successful" line whose text after the pattern is buf[from, to). */
  success(buf: Buffer, from: number, to: number): void {
    this.stats.broadcastSuccess.count++;
    const t = this.target;
    if (targetAt(buf, from, to, t)) {
      this.channel(buf, t[0]!, t[1]!);
      this.eventKeys.add(buf, t[2]!, t[3]!);
      return;
    }
    // A shape only the regular expression reads: its strings, as bytes again for the counters.
    const { channel, event } = broadcastTarget(buf.toString('latin1', from, to));
    if (channel) {
      const bytes = Buffer.from(channel, 'latin1');
      this.channel(bytes, 0, bytes.length);
    }
    if (event) {
      const bytes = Buffer.from(event, 'latin1');
      this.eventKeys.add(bytes, 0, bytes.length);
    }
  }

  private channel(buf: Uint8Array, from: number, to: number): void {
    const b = this.stats.broadcastSuccess;
    if (!this.channelKeys.add(buf, from, to)) b.otherChannels++;
    const kind = topicKindAt(buf, from, to);
    if (kind === 1) {
      b.orgWide.count++;
      if (!this.orgTopicKeys.add(buf, from, to)) b.orgWide.otherTopics++;
    } else if (kind === 2) b.conversation++;
  }

  /** Counts a "Broadcast result" line (text after the pattern: buf[from, to)); false when it has no duration (the caller then keeps a sample). */
  result(buf: Buffer, from: number, to: number): boolean {
    const r = this.stats.broadcastResult;
    r.count++;
    let ms = unitDurationAt(buf, from, to);
    if (ms === FALLBACK) ms = durationMs(buf.toString('latin1', from, to)) ?? Number.NaN;
    if (!Number.isNaN(ms)) {
      this.latency.add(ms);
      return true;
    }
    r.withoutDuration++;
    return false;
  }

  resultSample(ts: number | undefined, line: Buffer): void {
    const samples = this.stats.broadcastResult.samplesWithoutDuration;
    if (samples.length < MAX_SAMPLES) samples.push(this.sample(ts, line));
  }

  private sample(ts: number | undefined, line: Buffer): LogSample {
    const out: LogSample = { file: this.file, text: sampleText(line, MAX_SAMPLE_CHARS) };
    if (ts !== undefined) out.timestamp = new Date(ts).toISOString();
    return out;
  }
}
