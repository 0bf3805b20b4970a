/** realtime.channel-exposure's judge on generated outcomes: the verdict is the worst attempt, never a guess. */
import { describe, expect, it } from 'vitest';
import type { EavesdropOutcome } from '../../src/realtime/exposure.js';
import type { JoinStatus, ProbeStats } from '../../src/realtime/stats.js';
import { seededRandom } from '../support/random.js';
import { verdicts } from '../support/realtime.js';

const base = (over: Partial<ProbeStats> = {}): ProbeStats => ({
  url: 'ws://x/realtime/v1/websocket', vsn: '2.0.0', transport: 'native', count: 10, intervalMs: 0, timeoutMs: 1000, maxLatencyMs: 1000,
  event: 'message:created', private: false, connect: { ok: true }, channels: [], durationMs: 1, ...over,
});
const judge = (attempts: EavesdropOutcome[], isPrivate = false) =>
  verdicts(base({ private: isPrivate, exposure: { private: isPrivate, withSession: attempts.some((a) => a.as === 'session'), attempts } }))['realtime.channel-exposure']!;

describe('realtime.channel-exposure (pure)', () => {
  it('skips with the reason when the probe never got that far', () => {
    expect(verdicts(base({ connect: { ok: false, code: 'ECONNREFUSED' } }))['realtime.channel-exposure']).toMatchObject({ status: 'skip', summary: 'not tried: Realtime could not be reached' });
    expect(verdicts(base())['realtime.channel-exposure']!.summary).toMatch(/--no-exposure/);
  });

  it('an outsider whose join timed out is "could not tell" (warn), not a pass', () => {
    const v = judge([{ channel: 'bcast:org:o', scope: 'org-wide', as: 'anon', join: { status: 'TIMED_OUT' }, sent: 0, received: 0 }]);
    expect(v.status).toBe('warn');
    expect(v.summary).toMatch(/could not tell/);
  });

  it('a join alone is exposure even when the app side could not send', () => {
    const v = judge([{ channel: 'bcast:org:o:conversations', scope: 'org-wide', as: 'anon', join: { status: 'SUBSCRIBED' }, sent: 0, received: 0, senderProblem: "the probe's sender could not join" }]);
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/organisation o's conversation list/);
  });

  it('generated outcomes: fail iff an org-wide channel admitted the outsider or another organisation admitted the session', () => {
    const rnd = seededRandom(19);
    const statuses: JoinStatus[] = ['SUBSCRIBED', 'CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED'];
    for (let i = 0; i < 300; i++) {
      const attempts: EavesdropOutcome[] = [];
      const n = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) {
        const scope = rnd() < 0.5 ? 'org-wide' : 'conversation';
        const as = scope === 'org-wide' && rnd() < 0.3 ? 'session' : 'anon';
        const status = statuses[Math.floor(rnd() * statuses.length)]!;
        const sent = status === 'SUBSCRIBED' ? Math.floor(rnd() * 4) : 0;
        attempts.push({ channel: scope === 'org-wide' ? `bcast:org:o${k}` : `bcast:org:o:conv:c${k}`, scope, as, join: { status }, sent, received: Math.floor(rnd() * (sent + 1)) });
      }
      const exposed = attempts.some((a) => a.join.status === 'SUBSCRIBED' && (a.scope === 'org-wide' || a.as === 'session'));
      const doubtful = attempts.some((a) => a.join.status === 'SUBSCRIBED' || a.join.status !== 'CHANNEL_ERROR');
      const v = judge(attempts);
      expect(v.status).toBe(exposed ? 'fail' : doubtful ? 'warn' : 'pass');
    }
  });
});
