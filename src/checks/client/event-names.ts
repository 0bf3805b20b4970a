import type { ClientStats, SourceLocation, StaticValue } from '../../client/stats.js';
import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';

interface EventUse {
  at: SourceLocation;
  role: 'listener' | 'send';
  value: StaticValue;
  /** The event name, when it can be known statically. */
  name: string | null;
  /** Why the name is wrong before any list is consulted (e.g. UNIFIED_EVENTS has no such key). */
  problem: string | null;
}

function resolveUse(stats: ClientStats, at: SourceLocation, role: EventUse['role'], value: StaticValue): EventUse {
  const use: EventUse = { at, role, value, name: null, problem: null };
  if (value.kind === 'literal') use.name = value.text;
  else if (value.kind === 'member' && value.object === 'UNIFIED_EVENTS' && stats.unifiedEvents) {
    const name = stats.unifiedEvents.entries[value.property];
    if (name === undefined) use.problem = `UNIFIED_EVENTS has no key ${value.property}: the event is undefined at run time`;
    else use.name = name;
  }
  return use;
}

export const clientEventNames: Check<'client'> = {
  id: 'client.event-names',
  section: 'broadcast',
  title: 'Broadcast event names match UNIFIED_EVENTS',
  verifies: "Events in .on('broadcast', { event }) and send({ type: 'broadcast', event }) belong to the app's event list (UNIFIED_EVENTS, else config \"events\"); every listened event is sent somewhere and every sent event is listened to.",
  guideRef: 'Broadcast Event Issues → Check Event Listeners; Common Issues: Event name mismatch',
  fix: null,
  input: 'client',
  judge(stats, config) {
    const uses: EventUse[] = [
      ...stats.listeners.filter((l) => l.type === 'broadcast' && l.event).map((l) => resolveUse(stats, l.at, 'listener', l.event as StaticValue)),
      ...stats.sends.map((s) => resolveUse(stats, s.at, 'send', s.event)),
    ].sort((a, b) => (a.at.file === b.at.file ? a.at.line - b.at.line || a.at.column - b.at.column : a.at.file < b.at.file ? -1 : 1));
    const note = unparsedNote(stats);
    const list = stats.unifiedEvents ? Object.values(stats.unifiedEvents.entries) : config.events ?? null;
    const source = stats.unifiedEvents
      ? `UNIFIED_EVENTS (${stats.unifiedEvents.at.file}:${stats.unifiedEvents.at.line})`
      : config.events ? 'config "events"' : null;
    if (uses.length === 0) return { status: 'pass', summary: `no broadcast listeners or sends found${note}` };

    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const known = new Set(list ?? []);
    const sent = new Set(uses.filter((u) => u.role === 'send' && u.name !== null).map((u) => u.name as string));
    const heard = new Set(uses.filter((u) => u.role === 'listener' && u.name !== null).map((u) => u.name as string));
    for (const u of uses) {
      const what = u.role === 'listener' ? 'listener for' : 'send of';
      if (u.problem) {
        failures.push(codeFinding(u.at, `${what} ${shown(u.value)}: ${u.problem}`));
        continue;
      }
      if (u.name === null) {
        warnings.push(codeFinding(u.at, `${what} ${shown(u.value)}: unknown, the event name is computed at run time`, 'warn'));
        continue;
      }
      if (u.name === '*') continue; // a wildcard listener hears every event
      if (list && !known.has(u.name)) {
        failures.push(codeFinding(u.at, `${what} '${u.name}': not in ${source}`));
        continue;
      }
      if (u.role === 'listener' && !sent.has(u.name)) {
        warnings.push(codeFinding(u.at, `listener for '${u.name}': no send of this event in the source (is it sent by code outside --src?)`, 'warn'));
      }
      if (u.role === 'send' && !heard.has(u.name) && !heard.has('*')) {
        warnings.push(codeFinding(u.at, `send of '${u.name}': no listener for this event in the source`, 'warn'));
      }
    }
    const counts = `${plural(uses.filter((u) => u.role === 'listener').length, 'listener')}, ${plural(uses.filter((u) => u.role === 'send').length, 'send')}`;
    const advice = 'Event names are compared as exact strings: a listener hears only sends of the same name on the same channel. Keep the names in one exported UNIFIED_EVENTS and reference them (UNIFIED_EVENTS.X) on both sides.';
    if (failures.length) {
      return { status: 'fail', summary: `${plural(failures.length, 'event name')} outside the app's list (${counts})${note}`, findings: [...failures, ...warnings], advice };
    }
    if (!list) {
      return {
        status: 'warn',
        summary: `no event list to check against: export UNIFIED_EVENTS in the source or set "events" in campfire.config.json (${counts})${note}`,
        findings: warnings,
        advice,
      };
    }
    if (warnings.length) return { status: 'warn', summary: `${plural(warnings.length, 'event')} without a counterpart (${counts})${note}`, findings: warnings, advice };
    return { status: 'pass', summary: `every event is in ${source} and has a sender and a listener (${counts})${note}` };
  },
};
