import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

/**
 * realtime-js v2 reports a channel's failures through the subscribe callback's status — CHANNEL_ERROR,
 * TIMED_OUT, CLOSED (REALTIME_SUBSCRIBE_STATES) with an Error for CHANNEL_ERROR — and server notices
 * through `.on('system', {}, cb)`. Its `on()` takes only broadcast / presence / postgres_changes / system:
 * the guide's `.on('error', …)` and `.on('close', …)` register bindings no v2 message ever matches.
 */
export const clientErrorHandling: Check<'client'> = {
  id: 'client.error-handling',
  section: 'connection',
  title: 'Subscribed channels observe their status',
  verifies: "Every subscribed channel handles failure: its subscribe((status, err) => …) callback looks at CHANNEL_ERROR / TIMED_OUT / CLOSED (or has a 'system' listener); no .on('error') / .on('close'), which realtime-js v2 never calls.",
  guideRef: 'Channel Connection Problems → Implement Proper Error Handling',
  fix: null,
  input: 'client',
  judge(stats) {
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    for (const l of stats.listeners) {
      if (l.type !== 'error' && l.type !== 'close') continue;
      failures.push(codeFinding(l.at, `.on('${l.type}', …) is not a realtime-js v2 listen type: the callback never runs. Handle ${l.type === 'error' ? "'CHANNEL_ERROR' (with its err) and 'TIMED_OUT'" : "'CLOSED'"} in .subscribe((status, err) => …) instead`));
    }
    const subscribed = stats.channels.filter((c) => c.subscribe);
    for (const c of subscribed) {
      const s = c.subscribe as NonNullable<typeof c.subscribe>;
      if (s.observes === 'no') {
        warnings.push(codeFinding(s.at, `channel ${shown(c.name)} is subscribed without looking at its status: a refused join (CHANNEL_ERROR), a timeout (TIMED_OUT) or a close (CLOSED) goes unnoticed`, 'warn'));
      }
    }
    // A channel subscribed by code in another file (handed to a hook or manager) is not judged here: say so.
    const unsubscribed = stats.channels.length - subscribed.length;
    const note = (unsubscribed ? `; ${plural(unsubscribed, 'channel')} not subscribed in the file that creates it, not judged` : '') + unparsedNote(stats);
    const advice = "In realtime-js v2 write channel.subscribe((status, err) => { if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') { report(err); } if (status === 'CLOSED') { … } }) " +
      "(or compare with REALTIME_SUBSCRIBE_STATES), and .on('system', {}, (payload) => …) for server notices. The guide's .on('error') / .on('close') are not v2 listen types. " +
      'A channel subscribed through code campfire cannot follow (passed to another module) is not judged here.';
    if (failures.length) return { status: 'fail', summary: `${plural(failures.length, 'listener')} that never fire${warnings.length ? `, ${warnings.length} subscription(s) without status handling` : ''}${note}`, findings: [...failures, ...warnings], advice };
    if (warnings.length) return { status: 'warn', summary: `${warnings.length} of ${plural(subscribed.length, 'subscribed channel')} never look at their status${note}`, findings: warnings, advice };
    return { status: 'pass', summary: subscribed.length ? `all ${plural(subscribed.length, 'subscribed channel')} observe their status${note}` : `no subscribed channels found${note}` };
  },
};
