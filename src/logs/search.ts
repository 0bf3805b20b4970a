/**
 * Byte searches over raw Buffers, so a log chunk is never turned into a string just to be searched.
 * The case-sensitive patterns use Buffer.indexOf (native Boyer-Moore-Horspool); "mismatch" is matched
 * case-insensitively (ASCII letters only, as /mismatch/i on latin1 text did) by a WebAssembly SIMD filter
 * (simd.ts) with the bytes between checked here, or by a Horspool search whose skip table holds both cases
 * of every pattern letter (short tails, long-line pieces, engines without Wasm SIMD).
 */

import { pairFilter, type PairFilter } from './simd.js';

/** ASCII upper → lower; every other byte unchanged (latin1 letters are not folded, as /mismatch/i does not). */
const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;

const isLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/** A lower-case ASCII pattern found in any mix of cases. */
export class CaseInsensitivePattern {
  readonly length: number;
  private readonly bytes: Uint8Array;
  private readonly skip: Uint8Array;
  /** The shift when the last byte matched but the window did not (the last byte's place earlier in the pattern). */
  private readonly shiftAfterLast: number;
  /** The SIMD filter for the first and last letters (null without WebAssembly SIMD, or for non-letters). */
  private readonly filter: PairFilter | null;
  private prepared: Uint8Array = new Uint8Array(0);
  private loaded = false;

  constructor(lower: string) {
    if (!/^[\x20-\x7e]{2,255}$/.test(lower) || lower !== lower.toLowerCase()) throw new Error(`not a lower-case ASCII pattern: ${lower}`);
    this.bytes = Buffer.from(lower, 'latin1');
    const m = (this.length = this.bytes.length);
    // Horspool: how far the window may move when its last byte is b (both cases of a letter alike);
    // 0 marks the pattern's own last byte, the only case where the window is compared.
    this.skip = new Uint8Array(256).fill(m);
    const set = (c: number, shift: number) => {
      this.skip[c] = shift;
      if (c >= 0x61 && c <= 0x7a) this.skip[c - 0x20] = shift;
    };
    for (let j = 0; j < m - 1; j++) set(this.bytes[j]!, m - 1 - j);
    this.shiftAfterLast = this.skip[this.bytes[m - 1]!]!;
    set(this.bytes[m - 1]!, 0);
    const first = this.bytes[0]!;
    const last = this.bytes[m - 1]!;
    this.filter = isLetter(first) && isLetter(last) ? pairFilter(first, last, m - 1) : null;
  }

  /** Makes `text` the one next() searches (copied into the SIMD filter's memory: once per text, not per search). */
  prepare(text: Uint8Array): void {
    this.prepared = text;
    this.loaded = false;
    if (!this.filter) return;
    try {
      this.filter.load(text);
      this.loaded = true;
    } catch {
      // More than the module's memory can hold: this text is searched by Horspool alone.
    }
  }

  /** indexIn over the prepared text: the SIMD filter proposes, the bytes between first and last decide. */
  next(from: number, to: number): number {
    const text = this.prepared;
    const filter = this.filter;
    if (!filter || !this.loaded) return this.indexIn(text, from, to);
    const m = this.length;
    const pat = this.bytes;
    for (;;) {
      const p = filter.next(from, to);
      if (p < 0) return this.indexIn(text, -1 - p, to);
      let j = 1;
      while (j < m - 1 && FOLD[text[p + j]!] === pat[j]) j++;
      if (j === m - 1) return p;
      from = p + 1;
    }
  }

  /** Index of the first match starting at or after `from` and ending at or before `to`, or -1. */
  indexIn(buf: Uint8Array, from: number, to: number): number {
    const m = this.length;
    const pat = this.bytes;
    const skip = this.skip;
    let i = from + m - 1;
    while (i < to) {
      let s = skip[buf[i]!]!;
      if (s === 0) {
        let j = m - 2;
        let k = i - 1;
        while (j >= 0 && FOLD[buf[k]!] === pat[j]) {
          j--;
          k--;
        }
        if (j < 0) return i - m + 1;
        s = this.shiftAfterLast;
      }
      i += s;
    }
    return -1;
  }
}

/**
 * Whether `pattern` occurs in `tail` + `head` across their join (not inside either alone): how a pattern
 * split between two pieces of a long line is found without copying the pieces. `tail` holds at most
 * pattern.length - 1 bytes.
 */
export function straddles(tail: Buffer, head: Buffer, find: (seam: Buffer) => number, length: number): boolean {
  if (tail.length === 0) return false;
  const seam = Buffer.concat([tail, head.subarray(0, length - 1)]);
  const at = find(seam);
  return at >= 0 && at < tail.length;
}

/** The guide's case-sensitive greps: `grep "Broadcast successful"`, `grep "Broadcast result"`. */
export const SUCCESS = Buffer.from('Broadcast successful', 'latin1');
export const RESULT = Buffer.from('Broadcast result', 'latin1');
/** One search for the prefix the two broadcast patterns share, then a look at what follows it. */
const BROADCAST = Buffer.from('Broadcast ', 'latin1');
export const SUCCESS_KIND = 1;
export const RESULT_KIND = 2;
/** What the last nextBroadcast() found (a live module binding: no object per match). */
export let broadcastKind = 0;

/** The next "Broadcast successful" or "Broadcast result" at or after `from` (its kind in broadcastKind), or -1. */
export function nextBroadcast(buf: Buffer, from: number): number {
  const size = buf.length;
  for (;;) {
    const i = nearBroadcast(buf, from, size);
    if (i < 0) return -1;
    if (followedBy(buf, i, SUCCESS, size)) {
      broadcastKind = SUCCESS_KIND;
      return i;
    }
    if (followedBy(buf, i, RESULT, size)) {
      broadcastKind = RESULT_KIND;
      return i;
    }
    from = i + 1;
  }
}

/** Whether `pattern` (which starts with BROADCAST) occurs at `at`, where BROADCAST was found. */
function followedBy(buf: Buffer, at: number, pattern: Buffer, size: number): boolean {
  if (at + pattern.length > size) return false;
  for (let k = BROADCAST.length; k < pattern.length; k++) if (buf[at + k] !== pattern[k]) return false;
  return true;
}

/** Horspool shifts for BROADCAST. */
const SHIFT = new Uint8Array(256).fill(BROADCAST.length);
for (let j = 0; j < BROADCAST.length - 1; j++) SHIFT[BROADCAST[j]!] = BROADCAST.length - 1 - j;
/** How far a JavaScript search looks before handing over to Buffer.indexOf. */
const NEAR = 256;

/**
 * Buffer.indexOf(BROADCAST, from), with the first NEAR bytes searched here: on a log where most lines are
 * broadcasts the next one is a line away, and a native call per line costs more than the search itself.
 */
function nearBroadcast(buf: Buffer, from: number, size: number): number {
  const m = BROADCAST.length;
  const stop = Math.min(size, from + NEAR);
  let i = from + m - 1;
  while (i < stop) {
    const c = buf[i]!;
    if (c === 0x20) {
      let j = m - 2;
      while (j >= 0 && buf[i - m + 1 + j] === BROADCAST[j]) j--;
      if (j < 0) return i - m + 1;
    }
    i += SHIFT[c]!;
  }
  // Nothing ends before `stop`: a match may still start before it and end after.
  const next = i - m + 1;
  return next >= size ? -1 : buf.indexOf(BROADCAST, next);
}
