import { Naming } from './naming.js';
import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

const PREFIX = 'bcast:';
const PATTERN_TEXT = 'org:{orgId}:conv:{convId}, org:{orgId} or org:{orgId}:conversations';

export const clientChannelNames: Check<'client'> = {
  id: 'client.channel-names',
  section: 'broadcast',
  title: 'Channel names follow the guide',
  verifies: `Every channel name starts with ${PREFIX} and follows ${PATTERN_TEXT} (or the prefix and patterns configured in "channels"); names that cannot be resolved statically are reported as unknown.`,
  guideRef: 'Broadcast Event Issues → Common Issues: Wrong channel name, Missing bcast: prefix',
  fix: null,
  input: 'client',
  judge(stats, config) {
    const naming = new Naming(config);
    const failures: Finding[] = [];
    const unknown: Finding[] = [];
    for (const c of stats.channels) {
      const v = naming.judge(c.name);
      if (v.ok === true) continue;
      if (v.ok === false) failures.push(codeFinding(c.at, `channel ${shown(c.name)} ${v.why}`));
      else unknown.push(codeFinding(c.at, `channel ${shown(c.name)}: unknown, ${v.why}`, 'warn'));
    }
    const note = unparsedNote(stats);
    const total = plural(stats.channels.length, 'channel');
    if (failures.length) {
      return {
        status: 'fail',
        summary: `${failures.length} of ${total} named wrongly${unknown.length ? `, ${unknown.length} unknown` : ''}${note}`,
        findings: [...failures, ...unknown],
        advice: `Server and client must use the same name: the server broadcasts to ${naming.prefix}${naming.patterns[0]?.text ?? ''} (and the other configured topics: ${naming.text}); a client on any other name hears nothing. Another naming scheme? Set "channels": { "prefix", "orgWide", "conversation" } in campfire.config.json.`,
      };
    }
    if (unknown.length) {
      return { status: 'warn', summary: `${unknown.length} of ${total} cannot be resolved statically${note}`, findings: unknown };
    }
    return { status: 'pass', summary: stats.channels.length ? `all ${total} follow ${config.channels ? 'the configured' : "the guide's"} names${note}` : `no channels found${note}` };
  },
};
