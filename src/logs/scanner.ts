import { LatencyDigest } from '../latency.js';
import { broadcastTarget, durationMs, sampleText } from './line-details.js';
import { MAX_DISTINCT, MAX_SAMPLE_CHARS, MAX_SAMPLES, type LogStats } from './stats.js';
import { broadcastKind, CaseInsensitivePattern, nextBroadcast, RESULT, straddles, SUCCESS, SUCCESS_KIND } from './search.js';
import { timestampAt } from './timestamp.js';

/** The guide's greps: `grep -i "mismatch"`, `grep "Broadcast successful"`, `grep "Broadcast result"`. */
const MISMATCH = new CaseInsensitivePattern('mismatch');
const LONGEST = SUCCESS.length;
/** Bytes of one line kept in memory; a longer line is matched in pieces and only its head is kept. */
export const LINE_CAP = 64 * 1024;
/** Text after a match that details (channel, duration) are read from. */
const DETAIL_CHARS = 300;
const NL = 0x0a;
/** Bytes of a line kept for a sample (MAX_SAMPLE_CHARS characters of UTF-8 at most). */
const MAX_SAMPLE_BYTES = MAX_SAMPLE_CHARS * 4;

/**
 * One streaming pass over one file. Chunks are searched as raw bytes (never decoded, so invalid UTF-8
 * cannot throw); only lines with a match are looked at closer, and a line's timestamp is read only when
 * something needs it (--since, a mismatch line, a sample). A line longer than LINE_CAP is never buffered
 * whole: its head is kept, and matches that straddle two pieces are found through the last LONGEST-1
 * bytes kept from the previous piece. push() never keeps the chunk it is given, so callers may reuse it.
 */
export class LogScanner {
  /** The start of a line not yet ended (at most LINE_CAP bytes), in the pieces it arrived in (copies). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while inside a line longer than LINE_CAP. */
  private long: { head: Buffer; tail: Buffer; mismatch: boolean; success: boolean; result: boolean } | null = null;
  /** The timestamp in effect at the end of the last line whose timestamp was resolved (lines without one inherit it). */
  private lastTs: number | undefined;
  /** In the region being scanned: where the lines after the last resolved one start. */
  private floor = 0;
  private mismatchFirst = Infinity;
  private mismatchLast = -Infinity;
  private seenFirst = Infinity;
  private seenLast = -Infinity;
  /**
   * The channel and event counters, as Maps while scanning (a fresh string is looked up in a Map without
   * being internalised as a property key), starting from what other files of the run counted; written back
   * to the stats by end().
   */
  private readonly channels: Map<string, number>;
  private readonly events: Map<string, number>;

  constructor(
    private readonly stats: LogStats,
    private readonly file: string,
    private readonly since: number | undefined,
    private readonly latency: LatencyDigest,
  ) {
    this.channels = new Map(Object.entries(stats.broadcastSuccess.channels));
    this.events = new Map(Object.entries(stats.broadcastSuccess.events));
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.long) {
      const nl = chunk.indexOf(NL);
      this.extendLong(nl < 0 ? chunk : chunk.subarray(0, nl));
      if (nl < 0) return;
      this.finishLong();
      data = chunk.subarray(nl + 1);
    } else if (chunk.indexOf(NL) < 0) {
      // No line ends here: collect (a copy: the caller may reuse the chunk), and join only once a newline
      // arrives (linear for tiny chunks too).
      this.pending.push(Buffer.from(chunk));
      this.pendingBytes += chunk.length;
      if (this.pendingBytes > LINE_CAP) this.startLong(this.takePending());
      return;
    } else if (this.pendingBytes) {
      // Finish the pending line on its own, so the large chunk is never copied.
      const nl = chunk.indexOf(NL);
      this.pending.push(chunk.subarray(0, nl + 1));
      this.scanRegion(this.takePending());
      data = chunk.subarray(nl + 1);
    }
    const lastNl = data.lastIndexOf(NL);
    if (lastNl >= 0) this.scanRegion(data.subarray(0, lastNl + 1));
    const rest = data.subarray(lastNl + 1);
    if (rest.length === 0) return;
    if (rest.length <= LINE_CAP) {
      // A copy, so the (large, reused) chunk it came from is not kept.
      this.pending = [Buffer.from(rest)];
      this.pendingBytes = rest.length;
    } else this.startLong(rest);
  }

  end(): void {
    if (this.long) this.finishLong();
    else if (this.pendingBytes) {
      // A last line without a newline is still a line (as grep counts it).
      this.pending.push(Buffer.from('\n'));
      this.scanRegion(this.takePending());
    }
    const b = this.stats.broadcastSuccess;
    for (const [channel, n] of this.channels) b.channels[channel] = n;
    for (const [event, n] of this.events) b.events[event] = n;
  }

  private takePending(): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return joined;
  }

  /** `region` holds whole lines and ends with "\n". */
  private scanRegion(region: Buffer): void {
    const size = region.length;
    const since = this.since;
    this.floor = 0;
    MISMATCH.prepare(region);
    let nm = MISMATCH.next(0, size);
    let nb = nextBroadcast(region, 0);
    while (nm >= 0 || nb >= 0) {
      const p = nm >= 0 && (nb < 0 || nm < nb) ? nm : nb;
      const start = p === 0 ? 0 : region.lastIndexOf(NL, p - 1) + 1;
      const end = region.indexOf(NL, p);
      const m = nm >= 0 && nm < end;
      // The first "Broadcast successful" and "Broadcast result" of the line (details are read after them).
      let ns = -1;
      let nr = -1;
      while (nb >= 0 && nb < end) {
        if (broadcastKind === SUCCESS_KIND) {
          if (ns < 0) ns = nb;
        } else if (nr < 0) nr = nb;
        nb = ns >= 0 && nr >= 0 ? nextBroadcast(region, end + 1) : nextBroadcast(region, nb + 1);
      }
      // Without --since, only mismatch lines (first/last time, samples) and samples need their time.
      const ts = since !== undefined || m ? this.timestampOf(region, start, end) : undefined;
      if (since === undefined || (ts !== undefined && ts >= since)) {
        if (m) this.countMismatch(ts, region.subarray(start, Math.min(end, start + MAX_SAMPLE_BYTES)));
        if (ns >= 0) this.countSuccess(region.toString('latin1', ns + SUCCESS.length, Math.min(end, ns + SUCCESS.length + DETAIL_CHARS)));
        if (nr >= 0) {
          const after = region.toString('latin1', nr + RESULT.length, Math.min(end, nr + RESULT.length + DETAIL_CHARS));
          if (!this.countResult(after) && this.stats.broadcastResult.samplesWithoutDuration.length < MAX_SAMPLES) {
            const time = since !== undefined || m ? ts : this.timestampOf(region, start, end);
            this.sampleResult(time, region.subarray(start, Math.min(end, start + MAX_SAMPLE_BYTES)));
          }
        }
      }
      if (m) nm = MISMATCH.next(end + 1, size);
    }
    // Carry the timestamp in effect at the region's end into the next region.
    const lastStart = size < 2 ? 0 : region.lastIndexOf(NL, size - 2) + 1;
    if (lastStart >= this.floor) this.timestampOf(region, lastStart, size - 1);
    this.noteTimestamp(timestampAt(region, 0, region.indexOf(NL)));
    this.noteTimestamp(this.lastTs);
  }

  /**
   * The timestamp of the line [lineStart, lineEnd): its own, else the nearest earlier line's, walking back
   * no further than the last line resolved before; remembered as the one in effect from there on.
   */
  private timestampOf(region: Buffer, lineStart: number, lineEnd: number): number | undefined {
    const floor = this.floor;
    let pos = lineStart;
    let end = lineEnd;
    let ts: number | undefined;
    for (;;) {
      ts = timestampAt(region, pos, end);
      if (ts !== undefined) break;
      if (pos <= floor) {
        ts = this.lastTs;
        break;
      }
      end = pos - 1;
      pos = end <= 0 ? 0 : region.lastIndexOf(NL, end - 1) + 1;
      if (pos < floor) {
        ts = this.lastTs;
        break;
      }
    }
    this.lastTs = ts;
    this.floor = lineEnd + 1;
    return ts;
  }

  private startLong(rest: Buffer): void {
    this.long = { head: Buffer.from(rest.subarray(0, LINE_CAP)), tail: Buffer.alloc(0), mismatch: false, success: false, result: false };
    this.extendLong(rest);
  }

  private extendLong(piece: Buffer): void {
    const long = this.long!;
    const tail = long.tail;
    long.mismatch ||= MISMATCH.indexIn(piece, 0, piece.length) >= 0 || straddles(tail, piece, (s) => MISMATCH.indexIn(s, 0, s.length), MISMATCH.length);
    long.success ||= piece.indexOf(SUCCESS) >= 0 || straddles(tail, piece, (s) => s.indexOf(SUCCESS), SUCCESS.length);
    long.result ||= piece.indexOf(RESULT) >= 0 || straddles(tail, piece, (s) => s.indexOf(RESULT), RESULT.length);
    // The last LONGEST-1 bytes of the line so far (a copy: the piece's chunk may be reused).
    const keep = LONGEST - 1;
    long.tail = piece.length >= keep ? Buffer.from(piece.subarray(piece.length - keep)) : Buffer.concat([tail, piece]).subarray(-keep);
  }

  private finishLong(): void {
    const long = this.long!;
    this.long = null;
    const own = timestampAt(long.head, 0, long.head.length);
    const ts = own ?? this.lastTs;
    this.lastTs = ts;
    this.noteTimestamp(ts);
    if (!this.counts(ts)) return;
    const after = (pattern: Buffer) => {
      const i = long.head.indexOf(pattern);
      return i < 0 ? '' : long.head.toString('latin1', i + pattern.length, Math.min(long.head.length, i + pattern.length + DETAIL_CHARS));
    };
    const sample = () => long.head.subarray(0, MAX_SAMPLE_CHARS * 4);
    if (long.mismatch) this.countMismatch(ts, sample());
    if (long.success) this.countSuccess(after(SUCCESS));
    if (long.result && !this.countResult(after(RESULT))) this.sampleResult(ts, sample());
  }

  private counts(ts: number | undefined): boolean {
    // With --since, a line with no timestamp of its own or inherited cannot be placed in time: not counted.
    return this.since === undefined || (ts !== undefined && ts >= this.since);
  }

  private countMismatch(ts: number | undefined, line: Buffer): void {
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

  private countSuccess(after: string): void {
    this.stats.broadcastSuccess.count++;
    const { channel, event } = broadcastTarget(after);
    if (channel) {
      const n = this.channels.get(channel);
      if (n !== undefined) this.channels.set(channel, n + 1);
      else if (this.channels.size < MAX_DISTINCT) this.channels.set(channel, 1);
      else this.stats.broadcastSuccess.otherChannels++;
    }
    if (event) {
      const n = this.events.get(event);
      if (n !== undefined) this.events.set(event, n + 1);
      else if (this.events.size < MAX_DISTINCT) this.events.set(event, 1);
    }
  }

  /** Counts a "Broadcast result" line; false when it has no duration (the caller then keeps a sample). */
  private countResult(after: string): boolean {
    const r = this.stats.broadcastResult;
    r.count++;
    const ms = durationMs(after);
    if (ms !== undefined) {
      this.latency.add(ms);
      return true;
    }
    r.withoutDuration++;
    return false;
  }

  private sampleResult(ts: number | undefined, line: Buffer): void {
    const samples = this.stats.broadcastResult.samplesWithoutDuration;
    if (samples.length < MAX_SAMPLES) samples.push(this.sample(ts, line));
  }

  private sample(ts: number | undefined, line: Buffer): { file: string; timestamp?: string; text: string } {
    const out: { file: string; timestamp?: string; text: string } = { file: this.file, text: sampleText(line, MAX_SAMPLE_CHARS) };
    if (ts !== undefined) out.timestamp = new Date(ts).toISOString();
    return out;
  }

  private noteTimestamp(ts: number | undefined): void {
    if (ts === undefined || Number.isNaN(ts)) return;
    const st = this.stats;
    if (ts < this.seenFirst) {
      this.seenFirst = ts;
      const iso = new Date(ts).toISOString();
      if (!st.firstTimestamp || iso < st.firstTimestamp) st.firstTimestamp = iso;
    }
    if (ts > this.seenLast) {
      this.seenLast = ts;
      const iso = new Date(ts).toISOString();
      if (!st.lastTimestamp || iso > st.lastTimestamp) st.lastTimestamp = iso;
    }
  }
}
