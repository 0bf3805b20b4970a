import { describe, expect, it } from 'vitest';
import { broadcastTarget, durationMs } from '../../../src/logs/line-details.js';
import { leadingTimestamp, parseSince } from '../../../src/logs/timestamp.js';

describe('durations on "Broadcast result" lines', () => {
  it.each([
    [': org:a -> message:created: 202 in 12ms', 12],
    [' in 12.5 ms', 12.5],
    [' duration=12ms', 12],
    [' duration: 1.2s', 1200],
    [' took 7 ms', 7],
    [' {"durationMs": 30}', 30],
    [' latency_ms=45', 45],
    [' elapsed=250us', 0.25],
    [' (8ms)', 8],
    [' org:a ok', undefined],
    [' at 2026-11-25T23:00:00.123Z ok', undefined],
  ])('%s → %s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });
});

describe('broadcast target', () => {
  it("reads the guide's line", () => {
    expect(broadcastTarget(': org:o1:conv:c1 -> message:created')).toEqual({ channel: 'org:o1:conv:c1', event: 'message:created' });
    expect(broadcastTarget(': org:o1 -> message:created (log only)')).toEqual({ channel: 'org:o1', event: 'message:created' });
    expect(broadcastTarget(' but no arrow')).toEqual({});
  });
});

describe('leading timestamps', () => {
  it.each([
    ['2026-11-25T23:00:00Z x', '2026-11-25T23:00:00.000Z'],
    ['2026-11-25T23:00:00.123456Z x', '2026-11-25T23:00:00.123Z'],
    ['[2026-11-25T23:00:00.5+01:00] x', '2026-11-25T22:00:00.500Z'],
    ['2026-11-25 23:00:00 x', '2026-11-25T23:00:00.000Z'],
    ['2026-11-25 23:00:00,250 -0530 x', '2026-11-26T04:30:00.250Z'],
    ['{"level":30,"time":1795647600000,"msg":"x"}', '2026-11-25T23:00:00.000Z'],
    ['{"ts":1795647600,"msg":"x"}', '2026-11-25T23:00:00.000Z'],
    ['{"timestamp":"2026-11-25T23:00:00Z"}', '2026-11-25T23:00:00.000Z'],
  ])('%s', (line, iso) => {
    expect(new Date(leadingTimestamp(line)!).toISOString()).toBe(iso);
  });

  it('no timestamp: undefined (also when a JSON field is on the next line)', () => {
    expect(leadingTimestamp('GET / 200')).toBeUndefined();
    expect(leadingTimestamp('{\n"time":1795647600000}')).toBeUndefined();
    expect(leadingTimestamp('2026-13-45T99:00:00Z')).toBeUndefined();
  });
});

describe('--since', () => {
  const now = Date.parse('2026-11-25T23:00:00Z');
  it('relative and absolute', () => {
    expect(parseSince('15m', now)).toBe(now - 15 * 60_000);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
    expect(parseSince('2026-11-25', now)).toBe(Date.parse('2026-11-25T00:00:00Z'));
    expect(parseSince('2026-11-25T22:00:00+01:00', now)).toBe(Date.parse('2026-11-25T21:00:00Z'));
  });
  it('anything else is a usage error', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/--since must be/);
    expect(() => parseSince('15x', now)).toThrow(/--since must be/);
  });
});
