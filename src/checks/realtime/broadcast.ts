import type { Check, Finding } from '../types.js';
import { abortNote, joinedChannels, notMeasured } from './describe.js';

export const realtimeBroadcast: Check<'realtime'> = {
  id: 'realtime.broadcast',
  section: 'broadcast',
  title: 'Broadcasts are acknowledged and delivered once, in order',
  verifies: 'Every probe broadcast is acknowledged by the server and reaches the other client exactly once, in order, over the socket (zero silent REST fallbacks).',
  guideRef: 'Broadcast Event Issues → Verify Channel Configuration / Check Event Listeners',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const skipped = notMeasured(stats, 'broadcast');
    if (skipped) return skipped;
    const findings: Finding[] = [];
    const problems = new Set<string>();
    let sent = 0;
    let received = 0;
    for (const c of joinedChannels(stats)) {
      sent += c.sent;
      received += c.received;
      const unacked = c.ackTimeouts + c.ackErrors;
      const issues: string[] = [];
      if (c.acked > 0 && c.received === 0) {
        problems.add('acks without delivery');
        issues.push(`the server acknowledged ${c.acked} broadcasts but the receiver got none: check the event name (${stats.event}) and that both sides use the same channel`);
      } else if (c.received > 0 && c.acked === 0 && c.sent > 0) {
        problems.add('delivery without acks');
        issues.push(`messages arrive but the server acknowledged none (${c.ackTimeouts} timed out): send() with ack on would report "timed out"`);
      } else {
        if (c.lost) problems.add('lost'), issues.push(`${c.lost} of ${c.sent} lost`);
        if (unacked) problems.add('unacknowledged'), issues.push(`${unacked} not acknowledged (${c.ackTimeouts} timed out, ${c.ackErrors} errors)`);
      }
      if (c.duplicated) problems.add('duplicated'), issues.push(`${c.duplicated} delivered twice`);
      if (c.outOfOrder) problems.add('out of order'), issues.push(`${c.outOfOrder} out of order`);
      if (c.fallbacks) {
        problems.add('REST fallback');
        issues.push(`${c.fallbacks} sent while the channel was not joined: realtime-js silently posted them to the REST endpoint and still returned "ok"`);
      }
      const counts = `sent ${c.sent}, acked ${c.acked}, received ${c.received}, lost ${c.lost}, duplicated ${c.duplicated}, out of order ${c.outOfOrder}, REST fallbacks ${c.fallbacks}`;
      findings.push({ object: c.name, detail: issues.length ? `${issues.join('; ')} (${counts})` : counts });
    }
    if (sent === 0) return { status: 'skip', summary: `no broadcast sent${abortNote(stats)}`, findings };
    if (problems.size) {
      const diagnosis = ['acks without delivery', 'delivery without acks'].find((p) => problems.has(p));
      if (diagnosis) {
        const first = findings.find((f) => !f.detail.startsWith('sent '))!;
        return { status: 'fail', summary: `${diagnosis}: ${first.object}: ${first.detail.split(' (sent ')[0]}${abortNote(stats)}`, findings };
      }
      const chans = joinedChannels(stats);
      const total = (k: 'lost' | 'duplicated' | 'outOfOrder' | 'fallbacks' | 'ackTimeouts' | 'ackErrors') => chans.reduce((n, c) => n + c[k], 0);
      const parts = [
        total('lost') && `${total('lost')} of ${sent} lost`,
        total('ackTimeouts') + total('ackErrors') && `${total('ackTimeouts') + total('ackErrors')} not acknowledged`,
        total('duplicated') && `${total('duplicated')} duplicated`,
        total('outOfOrder') && `${total('outOfOrder')} out of order`,
        total('fallbacks') && `${total('fallbacks')} silently sent over the REST fallback`,
      ].filter(Boolean);
      return { status: 'fail', summary: `${parts.join(', ')}${abortNote(stats)}`, findings };
    }
    return { status: 'pass', summary: `${received} of ${sent} broadcasts acknowledged and delivered once, in order, with no REST fallback${abortNote(stats)}`, findings };
  },
};
