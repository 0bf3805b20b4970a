import type { LatencyDigest } from '../latency.js';
import { LineCounts } from './line-counts.js';
import { MAX_SAMPLE_CHARS, MAX_SAMPLES, type LogStats } from './stats.js';
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
/** Lines at the start of a file looked at for its first timestamp. */
const FIRST_LOOK = 64;
/** Where the line holding position p of a region starts. */
const lineStart = (region: Buffer, p: number): number => (p === 0 ? 0 : region.lastIndexOf(NL, p - 1) + 1);
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
  /** Whether the first region was looked at for the log's first time (noteFirstTimestamp). */
  private firstLooked = false;
  private seenFirst = Infinity;
  private seenLast = -Infinity;
  /** What matched lines add to the stats. */
  private readonly lines: LineCounts;

  /**
   * `inherited`: the timestamp in effect before the first byte pushed (a range of a file scanned apart
   * from the lines before it: see ranges.ts); a file's first line inherits none.
   */
  constructor(
    private readonly stats: LogStats,
    file: string,
    private readonly since: number | undefined,
    latency: LatencyDigest,
    inherited?: number,
  ) {
    this.lines = new LineCounts(stats, file, latency);
    this.lastTs = inherited;
  }

  /** The timestamp in effect after the last line scanned (what the next line would inherit). */
  get timestampInEffect(): number | undefined {
    return this.lastTs;
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
    this.lines.finish();
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
    /** The end of the last line looked at (the next line starts after it). */
    let prevEnd = -1;
    while (nm >= 0 || nb >= 0) {
      const p = nm >= 0 && (nb < 0 || nm < nb) ? nm : nb;
      // The line's start is looked up only when its timestamp or text is needed (most broadcast lines: never).
      let start = -1;
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
      if (since !== undefined || m) start = lineStart(region, p);
      const ts = start >= 0 ? this.timestampOf(region, start, end) : undefined;
      if (since === undefined || (ts !== undefined && ts >= since)) {
        if (m) this.lines.mismatch(ts, region.subarray(start, Math.min(end, start + MAX_SAMPLE_BYTES)));
        // Details come from a line's first LINE_CAP bytes only, as for a line read in pieces (finishLong), so
        // what is reported never depends on where reads or ranges happened to cut the file. The line is
        // shorter than that when it fits between the previous matched line and its end (no lookup needed).
        let headEnd = end;
        if (end - prevEnd > LINE_CAP) {
          if (start < 0) start = lineStart(region, p);
          if (end - start > LINE_CAP) headEnd = start + LINE_CAP;
        }
        if (ns >= 0) {
          const from = Math.min(ns + SUCCESS.length, headEnd);
          this.lines.success(region, from, ns + SUCCESS.length > headEnd ? from : Math.min(headEnd, from + DETAIL_CHARS));
        }
        if (nr >= 0) {
          const from = Math.min(nr + RESULT.length, headEnd);
          const to = nr + RESULT.length > headEnd ? from : Math.min(headEnd, from + DETAIL_CHARS);
          if (!this.lines.result(region, from, to) && this.stats.broadcastResult.samplesWithoutDuration.length < MAX_SAMPLES) {
            if (start < 0) start = lineStart(region, p);
            const time = since !== undefined || m ? ts : this.timestampOf(region, start, end);
            this.lines.resultSample(time, region.subarray(start, Math.min(end, start + MAX_SAMPLE_BYTES)));
          }
        }
      }
      if (m) nm = MISMATCH.next(end + 1, size);
      prevEnd = end;
    }
    // Carry the timestamp in effect at the region's end into the next region.
    const lastStart = size < 2 ? 0 : region.lastIndexOf(NL, size - 2) + 1;
    if (lastStart >= this.floor) this.timestampOf(region, lastStart, size - 1);
    this.noteTimestamp(timestampAt(region, 0, region.indexOf(NL)));
    if (!this.firstLooked) this.noteFirstTimestamp(region);
    this.noteTimestamp(this.lastTs);
  }

  /**
   * The log's first time is its first line that has one, not whatever line a read happened to start with:
   * the first region's first FIRST_LOOK lines are looked at (one pass or ranges then agree on a log in time
   * order; a log whose first lines carry no time keeps the sampled value).
   */
  private noteFirstTimestamp(region: Buffer): void {
    this.firstLooked = true;
    let pos = 0;
    for (let n = 0; n < FIRST_LOOK && pos < region.length; n++) {
      const end = region.indexOf(NL, pos);
      const ts = timestampAt(region, pos, end);
      if (ts !== undefined) {
        this.noteTimestamp(ts);
        return;
      }
      pos = end + 1;
    }
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
    // Details are read from the kept head only (a match past it is counted, its details unknown).
    const head = long.head;
    const after = (pattern: Buffer) => {
      const i = head.indexOf(pattern);
      return i < 0 ? [head.length, head.length] : [i + pattern.length, Math.min(head.length, i + pattern.length + DETAIL_CHARS)];
    };
    const sample = () => head.subarray(0, MAX_SAMPLE_CHARS * 4);
    if (long.mismatch) this.lines.mismatch(ts, sample());
    if (long.success) this.lines.success(head, ...(after(SUCCESS) as [number, number]));
    if (long.result && !this.lines.result(head, ...(after(RESULT) as [number, number]))) this.lines.resultSample(ts, sample());
  }

  private counts(ts: number | undefined): boolean {
    // With --since, a line with no timestamp of its own or inherited cannot be placed in time: not counted.
    return this.since === undefined || (ts !== undefined && ts >= this.since);
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
