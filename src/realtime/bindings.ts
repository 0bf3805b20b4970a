/**
 * --bindings FILE (beyond the guide): join once with the app's own postgres_changes bindings and see
 * whether realtime-js accepts the server's echo. Its "mismatch between server and client bindings"
 * error is raised right there, on the client (docs/realtime-facts.md §1).
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Party, PartyOptions } from './party.js';
import { createParty } from './party.js';
import type { BindingsOutcome } from './stats.js';

export interface PostgresBinding {
  event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  schema: string;
  table?: string;
  filter?: string;
}

export interface BindingsInput {
  file: string;
  channel: string;
  bindings: PostgresBinding[];
}

const EVENTS = new Set(['*', 'INSERT', 'UPDATE', 'DELETE']);

/** Reads `[{event, schema, table?, filter?}, …]` or `{channel?, bindings: […]}`; a bad file is a usage error. */
export async function loadBindings(file: string, defaultChannel: string): Promise<BindingsInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--bindings: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--bindings: ${file} is not JSON; give an array like [{"event":"INSERT","schema":"public","table":"messages"}].`);
  }
  const wrapper = !Array.isArray(parsed) && parsed && typeof parsed === 'object' ? (parsed as { channel?: unknown; bindings?: unknown }) : null;
  const list = wrapper ? wrapper.bindings : parsed;
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError(`--bindings: ${file} must hold a non-empty array of {event, schema, table?, filter?}.`);
  }
  const bindings = list.map((b, i) => {
    const o = (b ?? {}) as Record<string, unknown>;
    if (typeof o.event !== 'string' || !EVENTS.has(o.event) || typeof o.schema !== 'string') {
      throw new UsageError(`--bindings: entry ${i} in ${file} needs "event" (*, INSERT, UPDATE or DELETE) and "schema".`);
    }
    for (const k of ['table', 'filter'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'string') throw new UsageError(`--bindings: entry ${i} in ${file}: "${k}" must be a string.`);
    }
    const out: PostgresBinding = { event: o.event as PostgresBinding['event'], schema: o.schema };
    if (typeof o.table === 'string') out.table = o.table;
    if (typeof o.filter === 'string') out.filter = o.filter;
    return out;
  });
  const channel = typeof wrapper?.channel === 'string' && wrapper.channel ? wrapper.channel : defaultChannel;
  return { file, channel, bindings };
}

export async function probeBindings(input: BindingsInput, po: PartyOptions, all: Party[], signal: AbortSignal): Promise<BindingsOutcome> {
  const party = await createParty(po, {
    name: input.channel,
    config: {},
    listen: (ch) => {
      for (const b of input.bindings) ch.on('postgres_changes' as never, b as never, () => {});
    },
  });
  all.push(party);
  const join = signal.aborted ? { status: 'NOT_ATTEMPTED' as const } : await party.join(signal);
  return { file: input.file, sent: input.bindings, echoed: party.joinEcho, join, matches: join.status === 'SUBSCRIBED' };
}
