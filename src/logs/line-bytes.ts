/**
 * The details of a matched line (line-details.ts) read straight from the bytes, for the shapes servers
 * actually write. On a log that is mostly broadcasts this is most of the work: decoding each line's tail
 * into a string and running the regular expressions over it cost several times the search itself. Every
 * function here gives exactly what its line-details.ts counterpart gives on the latin1 text [from, to), or
 * declines (returns FALLBACK / false) so the caller runs the regular expression; the unit tests compare
 * the two on generated text.
 */

/** "Use the regular expression": the bytes are not in a shape this file reads. */
export const FALLBACK = -1;

/** JavaScript's \s on latin1 text (tab, LF, VT, FF, CR, space, no-break space). */
const SPACE = new Uint8Array(256);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) SPACE[c] = 1;
/** \w without the u flag: ASCII letters, digits, underscore. */
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) WORD[c] = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f ? 1 : 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * broadcastTarget on bytes: where the channel and the event stand. Fills `out` with [channelStart,
 * channelEnd, eventStart, eventEnd] and returns true; false when the bytes need the regular expression
 * (no arrow, spaces inside the channel, an empty event…).
 */
export function targetAt(buf: Uint8Array, from: number, to: number, out: Int32Array): boolean {
  // /^\s*:?\s*(\S+?)\s*->\s*([^\s,;)]+)/ with its first choices: greedy spaces, the colon taken. When the
  // match succeeds with them, it is the regular expression's match (it tries them first).
  let i = from;
  while (i < to && SPACE[buf[i]!]) i++;
  if (i < to && buf[i] === 0x3a) i++;
  while (i < to && SPACE[buf[i]!]) i++;
  const cs = i;
  // The lazy channel ends at the first "->" (possibly after spaces); a space not followed by one is a
  // shape only the backtracking expression decides.
  while (i < to && !SPACE[buf[i]!] && !(buf[i] === 0x2d && buf[i + 1] === 0x3e && i + 1 < to)) i++;
  if (i === cs) return false;
  const ce = i;
  while (i < to && SPACE[buf[i]!]) i++;
  if (!(i + 1 < to && buf[i] === 0x2d && buf[i + 1] === 0x3e)) return false;
  i += 2;
  while (i < to && SPACE[buf[i]!]) i++;
  const es = i;
  while (i < to && !SPACE[buf[i]!] && buf[i] !== 0x2c && buf[i] !== 0x3b && buf[i] !== 0x29) i++;
  if (i === es) return false;
  out[0] = cs;
  out[1] = ce;
  out[2] = es;
  out[3] = i;
  return true;
}

/** Per byte: 1 a digit, 2 the first letter of a keyed form (duration, latency, elapsed, took) in either case. */
const CLASS = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = 1;
/** The keyed forms, by their first letter (lower case); SECOND holds each one's second letter, checked first. */
const KEYS: (Buffer | undefined)[] = new Array(256);
const SECOND = new Uint8Array(256);
for (const key of ['duration', 'latency', 'elapsed', 'took']) {
  const c = key.charCodeAt(0);
  CLASS[c] = CLASS[c - 0x20] = 2;
  KEYS[c] = Buffer.from(key, 'latin1');
  SECOND[c] = SECOND[c - 0x20] = key.charCodeAt(1);
}

/** Whether a keyed form starts at `at` (any case); its first two letters were checked by the caller. */
function keyAt(buf: Uint8Array, at: number, to: number): boolean {
  const key = KEYS[buf[at]! | 0x20]!;
  if (at + key.length > to) return false;
  for (let k = 2; k < key.length; k++) if ((buf[at + k]! | 0x20) !== key[k]) return false;
  return true;
}

/**
 * durationMs on bytes for lines without a keyed form ("in 12ms", "12.5 ms", "(8ms)"): the first number
 * followed by a time unit. FALLBACK when a keyword (duration, latency, elapsed, took) appears, since the
 * keyed expression then decides; NaN when there is no duration (durationMs's undefined).
 */
export function unitDurationAt(buf: Uint8Array, from: number, to: number): number {
  // /(?<![\w.:-])(\d+(?:\.\d+)?)\s?(ms|milliseconds?|msecs?|s|secs?|seconds?|µs|us)(?![\w])/i: no
  // backtracking choice can turn a failed candidate into a match (a unit starts with a letter, never a
  // digit or a dot), so each candidate is decided by one look. One pass finds the first duration and
  // watches for keywords, which hand the line to the regular expressions wherever they stand.
  let found = Number.NaN;
  for (let p = from; p < to; p++) {
    const cls = CLASS[buf[p]!]!;
    if (cls === 0) continue;
    if (cls === 2) {
      if ((buf[p + 1]! | 0x20) === SECOND[buf[p]!] && keyAt(buf, p, to)) return FALLBACK;
      continue;
    }
    if (!Number.isNaN(found)) continue;
    if (p > from) {
      const b = buf[p - 1]!;
      if (WORD[b] || b === 0x2e || b === 0x3a || b === 0x2d) continue;
    }
    let i = p;
    let whole = 0;
    while (i < to && isDigit(buf[i]!)) whole = whole * 10 + (buf[i++]! - 0x30);
    let digits = i - p;
    let scale = 1;
    if (i + 1 < to && buf[i] === 0x2e && isDigit(buf[i + 1]!)) {
      i++;
      while (i < to && isDigit(buf[i]!)) {
        whole = whole * 10 + (buf[i++]! - 0x30);
        scale *= 10;
        digits++;
      }
    }
    // Exact as Number(text) only while the digits fit a double's integers and the scale is a power of ten it holds.
    if (digits > 15) return FALLBACK;
    const value = whole / scale;
    if (i < to && SPACE[buf[i]!]) i++;
    const factor = unitFactor(buf, i, to);
    if (factor !== 0) found = factor === 1 ? value : factor === 1000 ? value * 1000 : value / 1000;
    p = i - 1; // digits before i were either looked at or follow a digit: not candidates
  }
  return found;
}

const UNITS = new Map<string, number>([
  ['ms', 1], ['millisecond', 1], ['milliseconds', 1], ['msec', 1], ['msecs', 1],
  ['s', 1000], ['sec', 1000], ['secs', 1000], ['second', 1000], ['seconds', 1000], ['us', -1],
]);

/** 1 (ms), 1000 (s), -1 (µs: divide) for a unit at `at` that is followed by no word character; 0 for none. */
function unitFactor(buf: Uint8Array, at: number, to: number): number {
  if (at < to && buf[at] === 0xb5) {
    // µs
    if (at + 1 < to && (buf[at + 1]! | 0x20) === 0x73 && (at + 2 >= to || !WORD[buf[at + 2]!])) return -1;
    return 0;
  }
  // Every other unit is all word characters, so it must be the whole word that starts here.
  const m = buf[at]! | 0x20;
  if ((m === 0x6d || m === 0x73) && (at + 1 >= to || !WORD[buf[at + 1]!])) return m === 0x73 ? 1000 : 0; // "s" alone
  if (m === 0x6d && at + 1 < to && (buf[at + 1]! | 0x20) === 0x73 && (at + 2 >= to || !WORD[buf[at + 2]!])) return 1; // "ms"
  let end = at;
  while (end < to && WORD[buf[end]!] && end - at <= 12) end++;
  if (end === at || end - at > 12) return 0;
  let word = '';
  for (let k = at; k < end; k++) word += String.fromCharCode(buf[k]! | 0x20);
  return UNITS.get(word) ?? 0;
}

/** "bcast:" and "org:" as bytes: the guide's topic prefixes. */
const BCAST = Buffer.from('bcast:', 'latin1');
const ORG = Buffer.from('org:', 'latin1');
const CONVERSATIONS = Buffer.from(':conversations', 'latin1');
const CONV = Buffer.from(':conv:', 'latin1');

function startsWith(buf: Uint8Array, at: number, to: number, word: Uint8Array): boolean {
  if (at + word.length > to) return false;
  for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
  return true;
}

/**
 * stats.ts's topicKind on the bytes of a channel name (which holds no spaces): 1 org-wide
 * ([bcast:]org:{orgId}[:conversations]), 2 per-conversation ([bcast:]org:{orgId}:conv:{convId}), 0 neither.
 */
export function topicKindAt(buf: Uint8Array, from: number, to: number): 0 | 1 | 2 {
  let i = from;
  if (startsWith(buf, i, to, BCAST)) i += BCAST.length;
  if (!startsWith(buf, i, to, ORG)) return 0;
  i += ORG.length;
  const id = i;
  while (i < to && buf[i] !== 0x3a) i++;
  if (i === id) return 0;
  if (i === to) return 1;
  if (i + CONVERSATIONS.length === to && startsWith(buf, i, to, CONVERSATIONS)) return 1;
  if (!startsWith(buf, i, to, CONV)) return 0;
  i += CONV.length;
  const conv = i;
  while (i < to && buf[i] !== 0x3a) i++;
  return i === to && i > conv ? 2 : 0;
}

/**
 * The keys of a capped counter (Map key → count, at most `cap` keys) looked up from bytes: a key is made a
 * string only when it is first counted, so a line whose channel is already counted, or can no longer be
 * (the map is full), allocates nothing. Keys are latin1 text, as the scanner reads it.
 */
export class ByteKeys {
  /**
   * Keys by a hash of their length and last 8 bytes: cheap to compute per line, and since the map holds at
   * most `cap` keys a bucket stays short even when keys share their ends.
   */
  private readonly byHash = new Map<number, string[]>();

  constructor(
    private readonly counts: Map<string, number>,
    private readonly cap: number,
  ) {
    for (const key of counts.keys()) this.index(key);
  }

  /** Adds 1 to the key spelled by buf[from, to); false when it is not counted and the map is full. */
  add(buf: Uint8Array, from: number, to: number): boolean {
    let h = to - from;
    for (let i = Math.max(from, to - 8); i < to; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const bucket = this.byHash.get(h);
    if (bucket) {
      for (const key of bucket) {
        if (sameText(key, buf, from, to)) {
          this.counts.set(key, this.counts.get(key)! + 1);
          return true;
        }
      }
    }
    if (this.counts.size >= this.cap) return false;
    const key = Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
    this.counts.set(key, 1);
    this.index(key, h);
    return true;
  }

  private index(key: string, hash?: number): void {
    let h = hash;
    if (h === undefined) {
      h = key.length;
      for (let i = Math.max(0, key.length - 8); i < key.length; i++) h = Math.imul(h ^ (key.charCodeAt(i) & 0xff), 0x01000193);
    }
    const bucket = this.byHash.get(h);
    if (bucket) bucket.push(key);
    else this.byHash.set(h, [key]);
  }
}

function sameText(key: string, buf: Uint8Array, from: number, to: number): boolean {
  if (key.length !== to - from) return false;
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== buf[from + k]) return false;
  return true;
}
