import { LatencyDigest } from '../latency.js';
import { broadcastTarget, durationMs, sampleText } from './line-details.js';
import { MAX_DISTINCT, MAX_SAMPLE_CHARS, MAX_SAMPLES, type LogStats } from './stats.js';
import { leadingTimestamp } from './timestamp.js';

/** The guide's greps: `grep -i "mismatch"`, `grep "Broadcast successful"`, `grep "Broadcast result"`. */
const MISMATCH = /mismatch/gi;
const SUCCESS = 'Broadcast successful';
const RESULT = 'Broadcast result';
const LONGEST = SUCCESS.length;
/** Bytes of one line kept in memory; a longer line is matched in pieces and only its head is kept. */
export const LINE_CAP = 64 * 1024;
/** Text after a match that details (channel, duration) are read from. */
const DETAIL_CHARS = 300;

/**
 * One streaming pass over one file. Chunks are searched as latin1 strings (one char per byte, so string
 * offsets are byte offsets and invalid UTF-8 cannot throw); only lines with a match are looked at
 * closer. A line longer than LINE_CAP is never buffered whole: its head is kept, and matches that
 * straddle two chunks are found through the last LONGEST-1 characters kept from the previous piece.
 */
export class LogScanner {
  /** The start of a line not yet ended (at most LINE_CAP bytes), in the pieces it arrived in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while inside a line longer than LINE_CAP. */
  private long: { head: Buffer; tail: string; mismatch: boolean; success: boolean; result: boolean } | null = null;
  /** The timestamp in effect at the end of the last line handled (lines without one inherit it). */
  private lastTs: number | undefined;
  private mismatchFirst = Infinity;
  private mismatchLast = -Infinity;
  private seenFirst = Infinity;
  private seenLast = -Infinity;

  constructor(
    private readonly stats: LogStats,
    private readonly file: string,
    private readonly since: number | undefined,
    private readonly latency: LatencyDigest,
  ) {}

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.long) {
      const nl = chunk.indexOf(0x0a);
      this.extendLong(nl < 0 ? chunk : chunk.subarray(0, nl));
      if (nl < 0) return;
      this.finishLong();
      data = chunk.subarray(nl + 1);
    } else if (chunk.indexOf(0x0a) < 0) {
      // No line ends here: collect, and join only once a newline arrives (linear for tiny chunks too).
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes > LINE_CAP) this.startLong(this.takePending());
      return;
    } else if (this.pendingBytes) {
      // Finish the pending line on its own, so the large chunk is never copied.
      const nl = chunk.indexOf(0x0a);
      this.pending.push(chunk.subarray(0, nl + 1));
      this.scanRegion(this.takePending());
      data = chunk.subarray(nl + 1);
    }
    const lastNl = data.lastIndexOf(0x0a);
    if (lastNl >= 0) this.scanRegion(data.subarray(0, lastNl + 1));
    const rest = data.subarray(lastNl + 1);
    if (rest.length === 0) return;
    if (rest.length <= LINE_CAP) {
      // A copy, so the (large) chunk it came from can be freed.
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
  }

  private takePending(): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return joined;
  }

  /** `region` holds whole lines and ends with "\n". */
  private scanRegion(region: Buffer): void {
    const s = region.toString('latin1');
    let cursor = 0;
    MISMATCH.lastIndex = 0;
    let nm = MISMATCH.exec(s)?.index ?? -1;
    let ns = s.indexOf(SUCCESS);
    let nr = s.indexOf(RESULT);
    while (nm >= 0 || ns >= 0 || nr >= 0) {
      let p = nm >= 0 ? nm : Infinity;
      if (ns >= 0 && ns < p) p = ns;
      if (nr >= 0 && nr < p) p = nr;
      const start = s.lastIndexOf('\n', p - 1) + 1;
      const end = s.indexOf('\n', p);
      const m = nm >= 0 && nm < end;
      const sc = ns >= 0 && ns < end;
      const r = nr >= 0 && nr < end;
      const ts = this.resolveTimestamp(s, start, cursor);
      this.lastTs = ts;
      cursor = end + 1;
      if (this.counts(ts)) {
        if (m) this.countMismatch(ts, region.subarray(start, Math.min(end, start + MAX_SAMPLE_CHARS * 4)));
        if (sc) this.countSuccess(s.slice(ns + SUCCESS.length, Math.min(end, ns + SUCCESS.length + DETAIL_CHARS)));
        if (r) this.countResult(ts, s.slice(nr + RESULT.length, Math.min(end, nr + RESULT.length + DETAIL_CHARS)), region.subarray(start, Math.min(end, start + MAX_SAMPLE_CHARS * 4)));
      }
      if (m) {
        MISMATCH.lastIndex = end + 1;
        nm = MISMATCH.exec(s)?.index ?? -1;
      }
      if (sc) ns = s.indexOf(SUCCESS, end + 1);
      if (r) nr = s.indexOf(RESULT, end + 1);
    }
    // Carry the timestamp in effect at the region's end into the next region.
    const lastStart = lineStartBefore(s, s.length - 1);
    if (lastStart >= cursor) this.lastTs = this.resolveTimestamp(s, lastStart, cursor);
    this.noteTimestamp(leadingTimestamp(s, 0));
    this.noteTimestamp(this.lastTs);
  }

  /** The line's own timestamp, else the nearest earlier line's, walking back no further than `floor`. */
  private resolveTimestamp(s: string, lineStart: number, floor: number): number | undefined {
    let pos = lineStart;
    for (;;) {
      const ts = leadingTimestamp(s, pos);
      if (ts !== undefined) return ts;
      if (pos <= floor) return this.lastTs;
      pos = lineStartBefore(s, pos - 1);
      if (pos < floor) return this.lastTs;
    }
  }

  private startLong(rest: Buffer): void {
    this.long = { head: Buffer.from(rest.subarray(0, LINE_CAP)), tail: '', mismatch: false, success: false, result: false };
    this.extendLong(rest, true);
  }

  private extendLong(piece: Buffer, first = false): void {
    const long = this.long!;
    const text = first ? piece.toString('latin1') : long.tail + piece.toString('latin1');
    MISMATCH.lastIndex = 0;
    long.mismatch ||= MISMATCH.test(text);
    long.success ||= text.includes(SUCCESS);
    long.result ||= text.includes(RESULT);
    long.tail = text.slice(-(LONGEST - 1));
  }

  private finishLong(): void {
    const long = this.long!;
    this.long = null;
    const head = long.head.toString('latin1');
    const own = leadingTimestamp(head, 0);
    const ts = own ?? this.lastTs;
    this.lastTs = ts;
    this.noteTimestamp(ts);
    if (!this.counts(ts)) return;
    const after = (pattern: string) => {
      const i = head.indexOf(pattern);
      return i < 0 ? '' : head.slice(i + pattern.length, i + pattern.length + DETAIL_CHARS);
    };
    const sample = long.head.subarray(0, MAX_SAMPLE_CHARS * 4);
    if (long.mismatch) this.countMismatch(ts, sample);
    if (long.success) this.countSuccess(after(SUCCESS));
    if (long.result) this.countResult(ts, after(RESULT), sample);
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
    const b = this.stats.broadcastSuccess;
    b.count++;
    const { channel, event } = broadcastTarget(after);
    if (channel) {
      const n = b.channels[channel];
      if (n !== undefined) b.channels[channel] = n + 1;
      else if (distinct(b.channels) < MAX_DISTINCT) b.channels[channel] = 1;
      else b.otherChannels++;
    }
    if (event) {
      const n = b.events[event];
      if (n !== undefined) b.events[event] = n + 1;
      else if (distinct(b.events) < MAX_DISTINCT) b.events[event] = 1;
    }
  }

  private countResult(ts: number | undefined, after: string, line: Buffer): void {
    const r = this.stats.broadcastResult;
    r.count++;
    const ms = durationMs(after);
    if (ms === undefined) {
      r.withoutDuration++;
      if (r.samplesWithoutDuration.length < MAX_SAMPLES) r.samplesWithoutDuration.push(this.sample(ts, line));
    } else this.latency.add(ms);
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

/**
 * The start of the line that ends at `nl` (a "\n" index, or -1/0 edge cases). lastIndexOf clamps a negative
 * fromIndex to 0, which would find the newline at 0 itself, so the edges are handled here.
 */
function lineStartBefore(s: string, nl: number): number {
  return nl <= 0 ? 0 : s.lastIndexOf('\n', nl - 1) + 1;
}

/** Distinct keys of a counter, counted at most once per new key (only new keys call this). */
function distinct(counter: Record<string, number>): number {
  let n = 0;
  for (const _ in counter) n++;
  return n;
}
