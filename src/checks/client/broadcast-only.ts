import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';
import { DEDUPES_SINCE, versionNote } from './version-note.js';

const OPTIONS_PROBLEM = {
  'no-options': 'channel has no options: pass { config: { broadcast: { ack: false }, presence: { ack: false }, postgres_changes: [] } }',
  missing: 'channel config has no postgres_changes: [] (the guide\'s broadcast-only marker)',
  'non-empty': 'channel config lists postgres_changes entries: the channel is not broadcast-only',
  dynamic: 'postgres_changes is not a literal empty array: cannot tell whether the channel is broadcast-only',
  'options-dynamic': 'channel options are not an object literal: cannot tell whether the channel is broadcast-only',
} as const;

export const clientBroadcastOnly: Check<'client'> = {
  id: 'client.broadcast-only',
  section: 'binding-mismatch',
  title: 'Channels are broadcast-only',
  verifies: "Every client.channel(name, { config }) passes postgres_changes: [] and no .on('postgres_changes') is registered on a channel (none after subscribe(), no duplicates).",
  guideRef: 'Binding Mismatch Errors → Channel Configuration: Use broadcast-only channels',
  fix: null,
  input: 'client',
  judge(stats) {
    const failures: Finding[] = [];
    const unknown: Finding[] = [];
    for (const c of stats.channels) {
      if (c.postgresChanges === 'empty') continue;
      const unsure = c.postgresChanges === 'dynamic' || c.postgresChanges === 'options-dynamic';
      const finding = codeFinding(c.at, `${shown(c.name)}: ${OPTIONS_PROBLEM[c.postgresChanges]}`, unsure ? 'warn' : 'fail');
      (unsure ? unknown : failures).push(finding);
    }
    const version = versionNote(stats);
    const seen = new Map<string, number>();
    for (const l of stats.listeners) {
      if (l.type === 'unknown' && l.channel !== null) {
        unknown.push(codeFinding(l.at, '.on(…) on a channel with a listen type campfire cannot resolve statically: unknown whether it is a postgres_changes binding', 'warn'));
        continue;
      }
      if (l.type !== 'postgres_changes') continue;
      if (l.afterSubscribe) {
        failures.push(codeFinding(l.at, ".on('postgres_changes') registered after subscribe(): the server never got this binding, so the join reply cannot match (mismatch between server and client bindings)"));
        continue;
      }
      const key = `${l.channel ?? l.at.file}|${l.filterSource}`;
      if (l.channel !== null && seen.has(key)) {
        failures.push(codeFinding(l.at, version.dedupes
          ? ".on('postgres_changes') duplicates an identical binding on the same channel: your realtime-js ignores it (and logs an error), so it is dead code, not a mismatch"
          : `.on('postgres_changes') duplicates an identical binding on the same channel: a known trigger of the binding mismatch before realtime-js ${DEDUPES_SINCE}`));
        continue;
      }
      seen.set(key, 1);
      failures.push(codeFinding(l.at, ".on('postgres_changes') binding on a channel that should be broadcast-only"));
    }
    const note = unparsedNote(stats);
    if (stats.channels.length === 0 && failures.length === 0) {
      return { status: 'pass', summary: `no client.channel(…) calls in ${plural(stats.files, 'file')}${note}` };
    }
    if (failures.length) {
      return {
        status: 'fail',
        summary: `${plural(failures.length, 'problem')} in ${plural(stats.channels.length, 'channel')}${unknown.length ? `, ${unknown.length} not statically known` : ''}${note}; ${version.text}`,
        findings: [...failures, ...unknown],
        advice: advice(version.dedupes),
      };
    }
    if (unknown.length) {
      return { status: 'warn', summary: `${plural(unknown.length, 'channel or listener')} that cannot be read statically${note}; ${version.text}`, findings: unknown, advice: advice(version.dedupes) };
    }
    return { status: 'pass', summary: `all ${plural(stats.channels.length, 'channel')} are broadcast-only (postgres_changes: [], no postgres_changes listeners)${note}` };
  },
};

/** The error is thrown by realtime-js when the join reply's bindings differ from the client's (RealtimeChannel.subscribe). */
const advice = (dedupes: boolean | null): string =>
  '"mismatch between server and client bindings for postgres changes" is raised by realtime-js in the browser, not by the ' +
  "database: on join the server echoes the channel's postgres_changes bindings and the client compares them index by index. " +
  `Its real triggers are an .on('postgres_changes') registered after subscribe(), duplicate identical bindings (${dedupes ? `no longer: your realtime-js, ${DEDUPES_SINCE} or later, ignores them` : `up to realtime-js ${DEDUPES_SINCE}, which ignores them`}), and a filter ` +
  'that comes back null where the client sent undefined (fixed in supabase-js PR #1918) — not publication column types. ' +
  "A broadcast-only channel registers no .on('postgres_changes') at all, so there is nothing to mismatch; realtime-js builds " +
  "the join's postgres_changes from those .on() bindings, so removing them is what counts, and postgres_changes: [] records the intent.";
