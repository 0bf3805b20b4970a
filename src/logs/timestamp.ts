import { UsageError } from '../errors.js';

/**
 * Leading timestamps in the forms servers write: ISO 8601 with or without brackets, with "T" or a space,
 * with or without fraction and zone ("2026-11-25T23:10:00.123Z", "[2026-11-25 23:10:00]"). A timestamp
 * without a zone is read as UTC, so a run gives the same answer on every machine.
 */
const LEADING = /\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))? ?(Z|[+-]\d{2}(?::?\d{2})?)?/y;
/** JSON logs (pino, bunyan, winston): the first "time"/"timestamp"/"ts" field near the line start. */
const JSON_TIME = /"(?:time|timestamp|ts|@timestamp)"\s*:\s*(?:(\d{10,16})(?:\.\d+)?|"([^"]{10,40})")/g;
const JSON_WINDOW = 400;
/** Enough of a line's start for any LEADING form (JSON logs look as far as JSON_WINDOW). */
const TIMESTAMP_CHARS = 48;

/** The timestamp (ms since the epoch) that line `s` starting at `start` begins with, if any. */
export function leadingTimestamp(s: string, start = 0): number | undefined {
  const first = s.charCodeAt(start);
  if (first === 0x7b /* { */) return jsonTimestamp(s, start);
  if (first !== 0x5b /* [ */ && (first < 0x30 || first > 0x39)) return undefined;
  LEADING.lastIndex = start;
  const m = LEADING.exec(s);
  return m ? fromParts(m) : undefined;
}

/**
 * The leading timestamp of the line [pos, end) of a raw buffer, read from a short latin1 slice of its start
 * (the forms above never reach further); undefined at once for lines that cannot start with one.
 */
export function timestampAt(buf: Buffer, pos: number, end: number): number | undefined {
  if (pos >= end) return undefined;
  const first = buf[pos]!;
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */ && (first < 0x30 || first > 0x39)) return undefined;
  return leadingTimestamp(buf.toString('latin1', pos, Math.min(end, pos + (first === 0x7b ? JSON_WINDOW : TIMESTAMP_CHARS))), 0);
}

function jsonTimestamp(s: string, start: number): number | undefined {
  const window = s.slice(start, start + JSON_WINDOW);
  const nl = window.indexOf('\n');
  const head = nl < 0 ? window : window.slice(0, nl);
  JSON_TIME.lastIndex = 0;
  const m = JSON_TIME.exec(head);
  if (!m) return undefined;
  if (m[1]) {
    const n = Number(m[1]);
    // 10 digits are epoch seconds, 13 are milliseconds (pino's default), 16 microseconds.
    return m[1].length <= 10 ? n * 1000 : m[1].length <= 13 ? n : Math.floor(n / 1000);
  }
  return leadingTimestamp(m[2]!, 0);
}

function fromParts(m: RegExpExecArray): number | undefined {
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, sec = +m[6]!;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) return undefined;
  const f = m[7];
  const ms = f ? (f.length >= 3 ? +f.slice(0, 3) : f.length === 2 ? +f * 10 : +f * 100) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return t;
}

const RELATIVE = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$/i;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** --since: ISO 8601 ("2026-11-25T23:00:00Z", "2026-11-25") or relative to now ("15m", "2h", "1d"). */
export function parseSince(text: string, now = Date.now()): number {
  const rel = RELATIVE.exec(text);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase() as keyof typeof UNIT_MS];
  const trimmed = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (day) {
    impossible(text, +day[1]!, +day[2]!, +day[3]!, 0, 0, 0);
    return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  }
  // The whole text must be one timestamp ("2026-11-25T23:00:00Zjunk" is not), with fields that exist:
  // Date.UTC silently rolls 2026-11-31 over to 2026-12-01, which would move the window.
  const full = SINCE_TIME.exec(trimmed);
  if (full) {
    impossible(text, +full[1]!, +full[2]!, +full[3]!, +full[4]!, +full[5]!, +full[6]!, full[7]);
    const t = leadingTimestamp(trimmed);
    if (t !== undefined && !Number.isNaN(t)) return t;
  }
  throw new UsageError(
    `--since must be an ISO 8601 time (2026-11-25T23:00:00Z, 2026-11-25) or a relative one (15m, 2h, 1d); got "${text}".`,
  );
}

const SINCE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d{1,9})? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Throws when a --since field is out of range (month 13, 31 November, 25:00, zone +25:00). */
function impossible(text: string, y: number, mo: number, d: number, h: number, mi: number, sec: number, zone?: string): void {
  const fail = (what: string) => {
    throw new UsageError(`--since "${text}" is not a real time: ${what}.`);
  };
  if (mo < 1 || mo > 12) fail(`there is no month ${mo}`);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) fail(`${y}-${String(mo).padStart(2, '0')} has ${days} days, not ${d}`);
  if (h > 23) fail(`there is no hour ${h} (00 to 23)`);
  if (mi > 59) fail(`there is no minute ${mi} (00 to 59)`);
  if (sec > 59) fail(`there is no second ${sec} (00 to 59)`);
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    if (+digits.slice(0, 2) > 14 || +(digits.slice(2, 4) || '0') > 59) fail(`${zone} is not a UTC offset`);
  }
}
