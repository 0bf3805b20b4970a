import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/logs/timestamp.js';
import { seededRandom } from '../support/random.js';

/** --since must never silently move: an impossible date is a usage error, a possible one round-trips. */
describe('--since: impossible dates and times are rejected', () => {
  it.each([
    ['2026-11-31', /2026-11 has 30 days, not 31/],
    ['2026-02-29', /2026-02 has 28 days/],
    ['2026-13-45', /no month 13/],
    ['2026-00-10', /no month 0/],
    ['2026-11-00', /has 30 days, not 0/],
    ['2026-11-25T25:00:00Z', /no hour 25/],
    ['2026-11-25T24:00:00Z', /no hour 24/],
    ['2026-11-25T23:60:00Z', /no minute 60/],
    ['2026-11-25T23:00:61Z', /no second 61/],
    ['2026-11-25T23:00:00+25:00', /not a UTC offset/],
    ['2026-11-25T23:00:00Zjunk', /--since must be/],
  ])('%s', (text, says) => expect(() => parseSince(text)).toThrow(says));

  it('leap days that exist are accepted', () => {
    expect(parseSince('2028-02-29')).toBe(Date.parse('2028-02-29T00:00:00Z'));
  });

  it('property: a date is accepted exactly when its fields exist, and then means what it says', () => {
    const rnd = seededRandom(0x51ce);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const two = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      const [y, mo, d, h, mi, s] = [int(1990, 2100), int(0, 14), int(0, 32), int(0, 26), int(0, 61), int(0, 61)];
      const text = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`;
      const real = mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h <= 23 && mi <= 59 && s <= 59;
      if (real) expect(new Date(parseSince(text)).toISOString(), text).toBe(text.replace('Z', '.000Z'));
      else expect(() => parseSince(text), text).toThrow(/--since "[^"]+" is not a real time/);
    }
  });
});
