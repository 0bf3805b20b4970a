import type { EavesdropOutcome } from '../../realtime/exposure.js';
import type { Check, Finding } from '../types.js';

/** What a channel of each kind carries, in words a product owner reads. */
function carries(channel: string): string {
  if (channel.endsWith(':conversations')) return 'conversation list';
  if (/:conv:/.test(channel)) return 'conversation';
  return 'organisation-wide events';
}

function judgeAttempt(a: EavesdropOutcome, org: string): Finding {
  const heard = a.sent > 0 ? `; it received ${a.received} of the ${a.sent} broadcasts the app's side sent` : a.senderProblem ? ` (${a.senderProblem})` : '';
  const undecided = a.join.status !== 'SUBSCRIBED' && a.join.status !== 'CHANNEL_ERROR';
  if (undecided) {
    return { object: a.channel, severity: 'warn', detail: `could not tell: the ${a.as === 'session' ? "session's" : "outsider's"} join ended ${a.join.status}${a.join.reason ? ` (${a.join.reason})` : ''}` };
  }
  if (a.as === 'session') {
    return a.join.status === 'SUBSCRIBED'
      ? { object: a.channel, severity: 'fail', detail: `a session of organisation ${org} joined another organisation's private channel${heard}: the realtime.messages policies do not tie a topic to the session's organisation` }
      : { object: a.channel, detail: `a session of organisation ${org} was refused on another organisation's channel (${a.join.reason ?? 'no reason given'}), as it should be` };
  }
  if (a.join.status === 'SUBSCRIBED') {
    const who = `anyone with your publishable key can read ${a.scope === 'org-wide' ? `organisation ${org}'s` : 'this'} ${carries(a.channel)}`;
    return { object: a.channel, severity: a.scope === 'org-wide' ? 'fail' : 'warn', detail: `${who}: a client holding only the anon key and no session joined${heard}` };
  }
  return { object: a.channel, detail: `a client holding only the anon key was refused: ${a.join.reason ?? 'no reason given'}` };
}

export const realtimeChannelExposure: Check<'realtime'> = {
  id: 'realtime.channel-exposure',
  section: 'beyond',
  title: 'Who can listen on the broadcast channels',
  verifies:
    "A client holding only the project's anon key and no session cannot join the app's org-wide channels (and, with --access-token, a session cannot join another organisation's), so broadcasts reach only who they are meant for.",
  guideRef: 'Beyond the guide: its channels are public, and anyone with the anon key can join a public channel (Supabase Realtime Authorization)',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const ex = stats.exposure;
    if (!ex) {
      const why = !stats.connect.ok ? 'Realtime could not be reached' : stats.aborted ? `the probe stopped early (${stats.aborted})` : 'the outsider test was switched off (--no-exposure)';
      return { status: 'skip', summary: `not tried: ${why}` };
    }
    const org = /^bcast:org:([^:]+)/.exec(ex.attempts[0]?.channel ?? '')?.[1] ?? '?';
    const findings = ex.attempts.map((a) => judgeAttempt(a, org));
    const failed = findings.filter((f) => f.severity === 'fail');
    const warned = findings.filter((f) => f.severity === 'warn');
    const advice = ex.private
      ? 'Private channels are authorised when they are joined, by RLS policies on realtime.messages (SELECT to receive, INSERT to send) evaluated as the joining role with its JWT claims. A policy must tie realtime.topic() to something only that session has (its organisation claim), and the project setting "Allow public access" should be off so nobody can fall back to a public channel.'
      : "The guide's channels are public: Realtime authorises nothing on a public channel, and the anon key ships to every visitor with the organisation id beside it, so any visitor can listen to any organisation's channels. The way out is private channels (config: { private: true }) authorised by realtime.messages policies, with visitors holding a session (e.g. anonymous sign-ins); `campfire private-channels --claim CLAIM` explains the path and writes example policies.";
    if (failed.length) return { status: 'fail', summary: failed[0]!.detail, findings, advice };
    if (warned.length) return { status: 'warn', summary: warned[0]!.detail, findings, advice };
    return { status: 'pass', summary: `an outsider was refused on every channel tried (${findings.length})`, findings };
  },
};
