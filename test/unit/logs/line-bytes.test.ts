import { describe, expect, it } from 'vitest';
import { LatencyDigest } from '../../../src/latency.js';
import { ByteKeys, FALLBACK, targetAt, topicKindAt, unitDurationAt } from '../../../src/logs/line-bytes.js';
import { broadcastTarget, durationMs } from '../../../src/logs/line-details.js';
import { topicKind } from '../../../src/logs/stats.js';
import { seededRandom as rng } from '../../support/random.js';

// The byte readers must give what the regular expressions give on the same latin1 text, or decline.
const PIECES = [' ', '  ', ':', ': ', '->', ' -> ', '-', '>', ',', ';', ')', '(', '\t', '\xa0', '\r', 'org:', 'bcast:', 'o1', ':conv:', 'c9',
  ':conversations', 'message:created', 'x', '12', '3.5', '0', '.', 'ms', 'MS', 's', 'sec', 'Secs', 'seconds', 'msec', 'millisecond', 'us',
  '\xb5s', '\xb5S', 'in ', 'duration', 'Latency', 'elapsed=', 'took ', 'TOOK', '_', 'µ', '9999999999999999', 'h', 'é', '=', '"'];

function text(r: () => number): Buffer {
  const parts = Array.from({ length: Math.floor(r() * 14) }, () => PIECES[Math.floor(r() * PIECES.length)]!);
  return Buffer.from(parts.join(''), 'latin1');
}

describe('matched-line details on bytes equal the regular expressions', () => {
  it('channel and event (targetAt ≡ broadcastTarget where it answers), topic kinds', () => {
    const out = new Int32Array(4);
    let answered = 0;
    for (let seed = 1; seed <= 20000; seed++) {
      const r = rng(seed);
      const pad = Buffer.from('xx');
      const buf = Buffer.concat([pad, text(r), pad]);
      const from = pad.length;
      const to = buf.length - pad.length;
      const want = broadcastTarget(buf.toString('latin1', from, to));
      if (targetAt(buf, from, to, out)) {
        answered++;
        expect({ channel: buf.toString('latin1', out[0], out[1]), event: buf.toString('latin1', out[2], out[3]) }, `seed ${seed}`).toEqual(want);
      }
      if (want.channel) {
        const c = Buffer.from(want.channel, 'latin1');
        expect(topicKindAt(c, 0, c.length), `seed ${seed}: ${want.channel}`).toBe(topicKind(want.channel));
      }
    }
    expect(answered).toBeGreaterThan(1000); // the fast path is taken, not only declined
  });

  it('durations (unitDurationAt ≡ durationMs where it answers)', () => {
    let answered = 0;
    for (let seed = 1; seed <= 20000; seed++) {
      const r = rng(seed);
      const buf = Buffer.concat([Buffer.from('9'), text(r), Buffer.from('7ms')]);
      const from = 1;
      const to = buf.length - (r() < 0.5 ? 3 : 0);
      const got = unitDurationAt(buf, from, to);
      const want = durationMs(buf.toString('latin1', from, to));
      if (got === FALLBACK) continue;
      answered++;
      expect(Number.isNaN(got) ? undefined : got, `seed ${seed}: ${JSON.stringify(buf.toString('latin1', from, to))}`).toBe(want);
    }
    expect(answered).toBeGreaterThan(10000);
  });

  it('the guide-shaped lines take the fast path', () => {
    const out = new Int32Array(4);
    const success = Buffer.from(': org:9f1c:conv:1a2b -> message:created');
    expect(targetAt(success, 0, success.length, out)).toBe(true);
    const result = Buffer.from(': org:9f1c:conv:1a2b -> message:created: 202 in 12.5ms');
    expect(unitDurationAt(result, 0, result.length)).toBe(12.5);
    expect(topicKindAt(Buffer.from('bcast:org:9f1c:conversations'), 0, 28)).toBe(1);
  });

  it('ByteKeys counts like a capped Map of strings', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const cap = 1 + Math.floor(r() * 6);
      const counts = new Map<string, number>();
      const keys = new ByteKeys(counts, cap);
      const want = new Map<string, number>();
      let other = 0;
      let wantOther = 0;
      for (let i = 0; i < 60; i++) {
        // Keys sharing their last bytes and length, so hash buckets hold several.
        const key = `${'abcdefgh'[Math.floor(r() * 8)]}${'xy'[Math.floor(r() * 2)]}-same-tail`;
        const buf = Buffer.from(`..${key}..`, 'latin1');
        if (!keys.add(buf, 2, 2 + key.length)) other++;
        if (want.has(key)) want.set(key, want.get(key)! + 1);
        else if (want.size < cap) want.set(key, 1);
        else wantOther++;
      }
      expect([...counts], `seed ${seed}`).toEqual([...want]);
      expect(other).toBe(wantOther);
    }
  });
});

describe('latency digests merged from ranges', () => {
  it('equal one digest that saw every value (exact and histogram alike)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const parts = Array.from({ length: 1 + Math.floor(r() * 4) }, () => Array.from({ length: Math.floor(r() ** 2 * 6000) }, () => r() * 2000));
      const one = new LatencyDigest();
      for (const v of parts.flat()) one.add(v);
      const merged = new LatencyDigest();
      for (const part of parts) {
        const d = new LatencyDigest();
        for (const v of part) d.add(v);
        merged.merge(structuredClone(d.state()));
      }
      expect(merged.summary(), `seed ${seed}`).toEqual(one.summary());
    }
  });
});
