import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

export const clientCleanup: Check<'client'> = {
  id: 'client.cleanup',
  section: 'connection',
  title: 'Effects clean up their channels',
  verifies: "A channel created inside an effect (React useEffect, Svelte onMount/$effect, Vue onMounted; directly or by a same-file helper it calls) is unsubscribed or removed in that effect's cleanup, or through the ref, field, Map or state it is kept in.",
  guideRef: 'Channel Connection Problems → Proper Cleanup',
  fix: null,
  input: 'client',
  judge(stats) {
    const inEffects = stats.channels.filter((c) => c.effect !== null);
    const failures: Finding[] = [];
    for (const c of inEffects) {
      const effect = stats.effects[c.effect as number];
      const cleanup = effect?.cleanup ?? null;
      const name = shown(c.name);
      const via = c.helper ? ` (created by ${c.helper}(), which the effect at line ${effect?.at.line} calls)` : '';
      if (c.removal !== 'none' || cleanup?.removesAll) continue;
      const kept = c.binding ?? c.storedIn[0] ?? null;
      if (effect?.hook === 'onMounted') {
        failures.push(codeFinding(c.at, `channel ${name}${via} is created in onMounted and never removed: keep it where onUnmounted / onBeforeUnmount can reach it and call supabase.removeChannel(channel) there`));
      } else if (!cleanup) {
        failures.push(codeFinding(c.at, `channel ${name}${via} is created in an effect that returns no cleanup: every re-render or remount leaves a joined channel behind`));
      } else if (!kept) {
        failures.push(codeFinding(c.at, `channel ${name}${via} is not kept in a variable, so the effect's cleanup cannot unsubscribe it`));
      } else {
        const where = c.storedIn.length ? `; it is stored in ${c.storedIn.join(', ')}, and no removal through ${c.storedIn.length === 1 ? 'it' : 'them'} was found in this file` : '';
        failures.push(codeFinding(c.at, `channel ${name} (${kept})${via} is neither unsubscribed nor removed in the effect's cleanup (line ${cleanup.at.line})${where}`));
      }
    }
    // Channels created outside any effect of their own file (module scope, class methods, helpers other files
    // call from their effects) are not judged: say so, so a pass is not read as covering them.
    const outside = stats.channels.length - inEffects.length;
    const notJudged = outside ? `; ${plural(outside, 'channel')} created outside an effect of the same file (module scope, class methods, helpers called from other files) not judged` : '';
    const note = notJudged + unparsedNote(stats);
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
      summary: inEffects.length ? `all ${plural(inEffects.length, 'channel')} created in effects are cleaned up${note}` : `no channels created inside an effect${note}`,
    };
  },
};
