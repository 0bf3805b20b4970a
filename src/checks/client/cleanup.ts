import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

export const clientCleanup: Check<'client'> = {
  id: 'client.cleanup',
  section: 'connection',
  title: 'Effects clean up their channels',
  verifies: "A channel created inside a React useEffect is unsubscribed (channel.unsubscribe()) or removed (supabase.removeChannel(channel)) in that effect's cleanup.",
  guideRef: 'Channel Connection Problems → Proper Cleanup',
  fix: null,
  input: 'client',
  judge(stats) {
    const inEffects = stats.channels.filter((c) => c.effect !== null);
    const failures: Finding[] = [];
    for (const c of inEffects) {
      const cleanup = stats.effects[c.effect as number]?.cleanup ?? null;
      const name = shown(c.name);
      if (!cleanup) {
        failures.push(codeFinding(c.at, `channel ${name} is created in an effect that returns no cleanup: every re-render or remount leaves a joined channel behind`));
      } else if (cleanup.removesAll) {
        continue;
      } else if (!c.binding) {
        failures.push(codeFinding(c.at, `channel ${name} is not kept in a variable, so the effect's cleanup cannot unsubscribe it`));
      } else if (!cleanup.unsubscribed.includes(c.binding) && !cleanup.removed.includes(c.binding)) {
        failures.push(codeFinding(c.at, `channel ${name} (${c.binding}) is neither unsubscribed nor removed in the effect's cleanup (line ${cleanup.at.line})`));
      }
    }
    const note = unparsedNote(stats);
    if (failures.length) {
      return {
        status: 'fail',
        summary: `${failures.length} of ${plural(inEffects.length, 'channel')} created in effects are not cleaned up${note}`,
        findings: failures,
        advice: 'A channel left joined keeps its socket subscription and handlers after the component unmounts; the next mount joins again, which shows up as duplicate events and "frequent reconnection attempts". Return a cleanup that calls supabase.removeChannel(channel) (or channel.unsubscribe()).',
      };
    }
    return {
      status: 'pass',
      summary: inEffects.length ? `all ${plural(inEffects.length, 'channel')} created in effects are cleaned up${note}` : `no channels created inside useEffect${note}`,
    };
  },
};
