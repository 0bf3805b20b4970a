import { describe, expect, it } from 'vitest';
import { LINE_CAP } from '../../../src/logs/scanner.js';
import { scanChunks } from '../../support/scan.js';

const LOG = [
  '2026-11-25T23:00:00.000Z [Realtime] ❌ Channel error: mismatch between server and client bindings for postgres changes',
  '2026-11-25T23:00:01.000Z [Realtime] ✅ Broadcast successful: org:o1:conv:c1 -> message:created',
  '2026-11-25T23:00:01.000Z [Realtime] ✅ Broadcast successful: org:o1 -> message:created',
  '    at continuation line with MisMatch and no timestamp',
  '[2026-11-25 23:00:02] [Realtime] Broadcast result: org:o1:conv:c1 -> message:created: 202 in 12ms',
  '2026-11-25 23:00:03 Broadcast result org:o1 duration=40.5ms',
  '2026-11-25T23:00:04+01:00 Broadcast result org:o1 (no time given)',
  '',
].join('\n');

describe('log scanner', () => {
  it('counts lines per pattern, as grep -c does, whatever the chunking', () => {
    for (const sizes of [[LOG.length], [1], [7, 3, 64], [13]]) {
      const s = scanChunks(Buffer.from(LOG), sizes);
      expect(s.mismatch.count).toBe(2);
      expect(s.broadcastSuccess.count).toBe(2);
      expect(s.broadcastResult.count).toBe(3);
      expect(s.broadcastResult.withoutDuration).toBe(1);
      expect(s.broadcastResult.latency).toMatchObject({ count: 2, max: 40.5, p50: 12, approximate: false });
      expect(s.broadcastSuccess.channels).toEqual({ 'org:o1:conv:c1': 1, 'org:o1': 1 });
      expect(s.broadcastSuccess.events).toEqual({ 'message:created': 2 });
      // The continuation line inherits 23:00:01 from the line before it.
      expect(s.mismatch).toMatchObject({ firstTimestamp: '2026-11-25T23:00:00.000Z', lastTimestamp: '2026-11-25T23:00:01.000Z' });
    }
  });

  it('--since counts only lines at or after it, inheriting timestamps for lines without one', () => {
    const s = scanChunks(Buffer.from(LOG), [5], Date.parse('2026-11-25T23:00:01Z'));
    expect(s.mismatch.count).toBe(1); // the continuation line, inherited 23:00:01
    expect(s.broadcastSuccess.count).toBe(2);
    // 23:00:04+01:00 is 22:00:04Z: before --since.
    expect(s.broadcastResult.count).toBe(2);
  });

  it('with --since, lines before any timestamp cannot be placed in time and are not counted', () => {
    const s = scanChunks(Buffer.from('mismatch\n2026-11-25T23:00:00Z mismatch\n'), [4], Date.parse('2026-01-01T00:00:00Z'));
    expect(s.mismatch.count).toBe(1);
  });

  it('CRLF lines and a last line without a newline count', () => {
    const s = scanChunks(Buffer.from('a mismatch\r\nBroadcast result in 3 ms\r\nBroadcast successful: org:x -> message:created'), [2]);
    expect([s.mismatch.count, s.broadcastResult.count, s.broadcastSuccess.count]).toEqual([1, 1, 1]);
    expect(s.broadcastResult.latency?.max).toBe(3);
    expect(s.broadcastSuccess.events).toEqual({ 'message:created': 1 });
  });

  it('a line longer than the cap is matched across chunk boundaries without keeping it whole', () => {
    const filler = 'x'.repeat(LINE_CAP * 3);
    const line = `2026-11-25T23:00:00Z ${filler}MISMATCH${filler}Broadcast successful${filler}\n`;
    const data = Buffer.from(`${line}${line}short mismatch\n`);
    // Chunk sizes that cut both patterns in the middle somewhere.
    for (const sizes of [[65_537], [4093, 17], [data.length]]) {
      const s = scanChunks(data, sizes);
      expect(s.mismatch.count).toBe(3);
      expect(s.broadcastSuccess.count).toBe(2);
      expect(s.mismatch.samples[0]!.text.length).toBeLessThanOrEqual(201);
      expect(s.mismatch.samples[0]!.timestamp).toBe('2026-11-25T23:00:00.000Z');
      expect(s.mismatch.samples[2]!.timestamp).toBe('2026-11-25T23:00:00.000Z');
    }
  });

  it('invalid UTF-8 and binary bytes never throw, and samples are valid text', () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' mismatch \x1b[31m'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]);
    const s = scanChunks(data, [3]);
    expect(s.mismatch.count).toBe(1);
    expect(s.mismatch.samples[0]!.text).not.toMatch(/[\u0000-\u0008\u001b]/);
  });

  it('keeps at most 5 samples and 50 distinct channels', () => {
    const lines = Array.from({ length: 80 }, (_, i) => `2026-11-25T23:00:00Z mismatch ${i}\n2026-11-25T23:00:00Z Broadcast successful: org:o${i} -> message:created\n`).join('');
    const s = scanChunks(Buffer.from(lines));
    expect(s.mismatch.count).toBe(80);
    expect(s.mismatch.samples).toHaveLength(5);
    expect(Object.keys(s.broadcastSuccess.channels)).toHaveLength(50);
    expect(s.broadcastSuccess.otherChannels).toBe(30);
  });
});
