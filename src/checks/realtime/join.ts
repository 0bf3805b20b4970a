import type { Check, Finding } from '../types.js';
import { connectProblem } from './describe.js';
import { formatDuration } from '../../duration.js';

export const realtimeJoin: Check<'realtime'> = {
  id: 'realtime.join',
  section: 'connection',
  title: 'Broadcast channels join',
  verifies: "A sender and a receiver client each join the guide's bcast: channels (SUBSCRIBED) within the probe's --timeout (default 5s).",
  guideRef: 'Channel Connection Problems → Check Channel Status',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const problem = connectProblem(stats);
    if (problem) return { status: 'fail', summary: problem };
    const findings: Finding[] = [];
    let refused = 0;
    let timedOut = 0;
    let notTried = 0;
    for (const c of stats.channels) {
      for (const [role, j] of [['sender', c.sender], ['receiver', c.receiver]] as const) {
        if (j.status === 'SUBSCRIBED') continue;
        if (j.status === 'CHANNEL_ERROR') {
          refused++;
          findings.push({ object: c.name, detail: `${role}: join refused by the server: ${j.reason ?? 'no reason given'}` });
        } else if (j.status === 'TIMED_OUT') {
          timedOut++;
          findings.push({ object: c.name, detail: `${role}: join timed out after ${formatDuration(stats.timeoutMs)}: the server never answered phx_join` });
        } else if (j.status === 'NOT_ATTEMPTED') notTried++;
        else findings.push({ object: c.name, detail: `${role}: channel ${j.status.toLowerCase()} before it joined` });
      }
    }
    if (refused || timedOut || findings.length) {
      const first = findings[0]!.detail.replace(/^\w+: /, '');
      const advice = refused && stats.private
        ? 'A private channel joins only when an RLS policy on realtime.messages lets this role read the topic; check the policy or drop --private.'
        : undefined;
      return { status: 'fail', summary: `${refused + timedOut || findings.length} of ${stats.channels.length * 2} joins failed: ${first}`, findings, ...(advice ? { advice } : {}) };
    }
    if (notTried && stats.aborted === 'deadline') {
      return { status: 'fail', summary: `the probe hit its overall deadline (${stats.durationMs} ms) before every channel joined: Realtime is too slow to answer` };
    }
    if (notTried) return { status: 'skip', summary: `join not attempted on every channel${stats.aborted ? ` (${stats.aborted})` : ''}` };
    const slowest = Math.max(...stats.channels.flatMap((c) => [c.sender.ms ?? 0, c.receiver.ms ?? 0]));
    return {
      status: 'pass',
      summary: `${stats.channels.length * 2} clients joined ${stats.channels.length} channel${stats.channels.length === 1 ? '' : 's'} (slowest join ${slowest} ms)`,
      findings: stats.channels.map((c) => ({ object: c.name, detail: `sender joined in ${c.sender.ms} ms, receiver in ${c.receiver.ms} ms` })),
    };
  },
};
