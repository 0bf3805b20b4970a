import type { StaticValue } from '../../client/stats.js';
import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

const PREFIX = 'bcast:';
/** The guide's channel patterns after the prefix (Performance Issues → Minimize Broadcast Channels). */
const PATTERNS = [/^org:[^:]+:conv:[^:]+$/, /^org:[^:]+$/, /^org:[^:]+:conversations$/];
const PATTERN_TEXT = 'org:{orgId}:conv:{convId}, org:{orgId} or org:{orgId}:conversations';
/** One name of each pattern: a template that can produce one of these might be right. */
const EXAMPLES = ['bcast:org:o:conv:c', 'bcast:org:o', 'bcast:org:o:conversations'];

type NameVerdict = { ok: true } | { ok: false; why: string } | { ok: 'unknown'; why: string };

/** Judges one channel name; templates are judged by their fixed parts, each `${…}` standing for one segment. */
export function judgeChannelName(name: StaticValue): NameVerdict {
  if (name.kind === 'member' || name.kind === 'dynamic') return { ok: 'unknown', why: 'name is computed at run time' };
  if (name.kind === 'literal') return judgeConcrete(name.text);
  const concrete = name.quasis.join('x');
  const first = judgeConcrete(concrete);
  if (first.ok === true) return first;
  // Could some value of the holes (which may contain ':') produce a valid name?
  const re = new RegExp(`^${name.quasis.map(escapeRegExp).join('.+')}$`);
  if (EXAMPLES.some((e) => re.test(e))) return { ok: 'unknown', why: 'depends on the values interpolated into the template' };
  return first;
}

function judgeConcrete(text: string): NameVerdict {
  if (!text.startsWith(PREFIX)) return { ok: false, why: `missing the ${PREFIX} prefix` };
  const rest = text.slice(PREFIX.length);
  return PATTERNS.some((p) => p.test(rest)) ? { ok: true } : { ok: false, why: `does not follow ${PATTERN_TEXT}` };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const clientChannelNames: Check<'client'> = {
  id: 'client.channel-names',
  section: 'broadcast',
  title: 'Channel names follow the guide',
  verifies: `Every channel name starts with ${PREFIX} and follows ${PATTERN_TEXT}; names that cannot be resolved statically are reported as unknown.`,
  guideRef: 'Broadcast Event Issues → Common Issues: Wrong channel name, Missing bcast: prefix',
  fix: null,
  input: 'client',
  judge(stats) {
    const failures: Finding[] = [];
    const unknown: Finding[] = [];
    for (const c of stats.channels) {
      const v = judgeChannelName(c.name);
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
        advice: `Server and client must use the same name: the server broadcasts to ${PREFIX}org:{orgId}:conv:{convId} (and org-wide and conversation-list channels); a client on any other name hears nothing.`,
      };
    }
    if (unknown.length) {
      return { status: 'warn', summary: `${unknown.length} of ${total} cannot be resolved statically${note}`, findings: unknown };
    }
    return { status: 'pass', summary: stats.channels.length ? `all ${total} follow the guide's names${note}` : `no channels found${note}` };
  },
};
