import type { Check, Finding, Verdict } from '../types.js';
import { judgedOnPartialRead, readProblems, scope, type LogsInput } from './input.js';

/** The guide's channel names: org:{orgId}:conv:{convId}, org:{orgId}, org:{orgId}:conversations. */
const GUIDE_CHANNEL = /^(?:bcast:)?org:[^:\s]+(?::conv:[^:\s]+|:conversations)?$/;

export const logsBroadcastSuccess: Check<'logs'> = {
  id: 'logs.broadcast-success',
  section: 'broadcast',
  title: '"Broadcast successful" lines in the server logs',
  verifies: 'The logs contain "Broadcast successful" lines (grep "Broadcast successful"); reports the channels and events seen and warns on channel names outside the guide\'s org:{orgId}[:conv:{convId}|:conversations] patterns.',
  guideRef: 'Broadcast Event Issues → 1. Check Server Logs for Broadcast Success; Quick Diagnostic Checklist → 4',
  fix: null,
  input: 'logs',
  judge(logs: LogsInput) {
    return judgedOnPartialRead(logs, judgeRead(logs));
  },
};

function judgeRead(logs: LogsInput): Verdict {
  const b = logs.broadcastSuccess;
  const findings: Finding[] = readProblems(logs);
  if (b.count === 0) {
    return {
      status: 'fail',
      summary: `no "Broadcast successful" lines ${scope(logs)}`,
      findings,
      advice:
        'The server never logged a successful broadcast: messages are not reaching Realtime. Check that the ' +
        'message API broadcasts after each insert (doctor --app-url sends a test message), and the server log for ' +
        'broadcast errors.',
    };
  }
  const channels = Object.entries(b.channels).sort((x, y) => y[1] - x[1]);
  const events = Object.entries(b.events).map(([e, n]) => `${e} (${n})`).join(', ') || 'none recognised';
  const offPattern = channels.filter(([c]) => !GUIDE_CHANNEL.test(c));
  for (const [c, n] of offPattern) {
    findings.push({ object: `channel ${c}`, detail: `${n} broadcast${n === 1 ? '' : 's'}; not one of the guide's channel names (org:{orgId}:conv:{convId}, org:{orgId}, org:{orgId}:conversations)` });
  }
  for (const [c, n] of channels.filter(([c]) => GUIDE_CHANNEL.test(c)).slice(0, 10)) {
    findings.push({ object: `channel ${c}`, detail: `${n} broadcast${n === 1 ? '' : 's'}` });
  }
  const distinct = channels.length + (b.otherChannels ? `+` : '');
  // Org-wide topics carry every conversation of an organisation: on a public channel, whoever holds the
  // anon key and the organisation id receives all of it. The count says how much traffic that is.
  const org = b.orgWide;
  if (org.count) {
    const topics = Object.entries(org.topics).sort((x, y) => y[1] - x[1]).slice(0, 5).map(([t, n]) => `${t} (${n})`).join(', ');
    findings.push({
      object: 'org-wide topics',
      detail: `${org.count} of ${b.count} broadcasts (${percent(org.count, b.count)}) went to org-wide topics: ${topics}${org.otherTopics || Object.keys(org.topics).length > 5 ? ', …' : ''}; ${b.conversation} to per-conversation topics. On a public channel anyone holding the anon key and an organisation's id receives its org-wide broadcasts`,
    });
  }
  const orgPart = org.count ? `, ${org.count} to org-wide topics` : '';
  const summary = `${b.count} "Broadcast successful" line${b.count === 1 ? '' : 's'} ${scope(logs)}: ${distinct} channel${channels.length === 1 ? '' : 's'}, events ${events}${orgPart}`;
  if (offPattern.length) {
    return { status: 'warn', summary, findings, advice: "Subscribers listen on the guide's channel names; a broadcast to any other name reaches nobody (\"Wrong channel name\" in the guide)." };
  }
  return { status: 'pass', summary, findings };
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}
