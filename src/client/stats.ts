/**
 * Plain facts gathered from the app's source by one walk over its files. The client checks judge only
 * this value; nothing here knows what is right or wrong.
 */

import type { Known } from './constants.js';

/** Where something is in the source: file (relative to the working directory, `/`-separated), 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** The source line, trimmed and cut to a readable length. */
  excerpt: string;
}

/** A string-ish argument as written: resolved when it is a literal, kept as its parts when a template. */
export type StaticValue =
  | { kind: 'literal'; text: string }
  /** A template literal: `quasis` are the fixed parts around each `${…}` (quasis.length = holes + 1). */
  | { kind: 'template'; quasis: string[] }
  /** `OBJECT.PROPERTY`, e.g. UNIFIED_EVENTS.MESSAGE_CREATED, resolved by the judge against the event list. */
  | {
    kind: 'member'; object: string; property: string;
    /** When `object` is imported from another file of the app: its exported name, resolved across files by gather. */
    imported?: string;
  }
  | { kind: 'dynamic'; source: string };

/** What the channel's options say about postgres_changes. */
export type PostgresChangesConfig = 'empty' | 'missing' | 'non-empty' | 'dynamic';

export interface ChannelCall {
  id: number;
  at: SourceLocation;
  name: StaticValue;
  /** null: no options argument; 'dynamic': not an object literal. */
  postgresChanges: PostgresChangesConfig | 'no-options' | 'options-dynamic';
  /** The variable (or member, e.g. `channelRef.current`) the channel was assigned to, if any. */
  binding: string | null;
  /** Index into `effects` of the effect (useEffect, onMount, …) whose callback creates this channel, directly or through a helper it calls. */
  effect: number | null;
  /** `config.private`: true only when it is literally (or by a known constant) true; 'dynamic' when it cannot be read. */
  private: boolean | 'dynamic';
  /** Where the channel is kept beyond its variable (`ref.current`, `this.channel`, a Map, a state setter), as written. */
  storedIn: string[];
  /** How it is removed: in its effect's cleanup, outside the effect (through where it is stored), or not at all. */
  removal: 'cleanup' | 'elsewhere' | 'none';
  /** The same-file helper function that creates it, when an effect calls that helper. */
  helper: string | null;
  /** Its `.subscribe(…)` calls, and whether one of them (or a 'system' listener) observes failure states. */
  subscribe: { at: SourceLocation; observes: 'yes' | 'no' | 'unknown' } | null;
}

/** A `createClient(…)` call: `body` names the component or hook whose body runs it on every render, if any. */
export interface ClientCreation {
  at: SourceLocation;
  body: string | null;
}

/** Something that gives Realtime an access token: a sign-in, `realtime.setAuth`, or createClient's `accessToken` option. */
export interface AuthSignal {
  at: SourceLocation;
  what: string;
}

/** The app's realtime-js version, as far as its package.json and lockfile tell. */
export interface ClientVersion {
  /** Resolved realtime-js versions found in the lockfile (several copies are possible). */
  realtimeJs: string[];
  /** The declared ranges in package.json, for the report. */
  declared: Record<string, string>;
  /** Files the facts came from, relative to the working directory. */
  sources: string[];
}

export interface Listener {
  at: SourceLocation;
  /**
   * 'broadcast' | 'postgres_changes' | 'presence' | 'system' (literals or realtime-js's constants); 'error' and
   * 'close' (the guide's, not realtime-js v2 listen types); 'unknown' when a channel's listen type cannot be read.
   */
  type: string;
  event: StaticValue | null;
  /** The channel it is registered on, when known. */
  channel: number | null;
  /** Registered after the channel's `.subscribe()` (later in the chain, or a later statement on the same variable). */
  afterSubscribe: boolean;
  /** The filter object's source text, normalised (for duplicate postgres_changes bindings). */
  filterSource: string;
  /** A listen type written as a constant imported from another file of the app (`CHANNEL_TYPES.DB`): resolved by gather. */
  typeRef?: { imported: string; path: string[] };
}

export interface Send {
  at: SourceLocation;
  event: StaticValue;
  channel: number | null;
}

export interface EffectCleanup {
  at: SourceLocation;
  /** Names on which `.unsubscribe()` is called. */
  unsubscribed: string[];
  /** Names passed to `.removeChannel(…)`. */
  removed: string[];
  removesAll: boolean;
}

export interface Effect {
  at: SourceLocation;
  cleanup: EffectCleanup | null;
  /** The hook: useEffect/useLayoutEffect, Svelte onMount/$effect (their returned function is the cleanup), or Vue onMounted (it is not). */
  hook: string;
}

export type TimingKey = 'heartbeatIntervalMs' | 'reconnectAfterMs' | 'rejoinAfterMs' | 'eventsPerSecond';

export type TimingValue =
  | { kind: 'number'; ms: number }
  /** A back-off function: `bound` is the constant cap it is clamped to (Math.min), if any; `grows` when it scales with its argument. */
  | { kind: 'function'; bound: number | null; grows: boolean }
  | { kind: 'dynamic' };

export interface TimingSetting {
  at: SourceLocation;
  key: TimingKey;
  /** 'channel': inside a `.channel(name, options)` call; 'client': anywhere else (createClient / RealtimeClient options). */
  where: 'client' | 'channel';
  value: TimingValue;
}

export interface UnifiedEvents {
  at: SourceLocation;
  /** Property names mapped to event names (for an array, indexes). */
  entries: Record<string, string>;
}

export interface ParseFailure {
  at: SourceLocation;
  message: string;
}

export interface ClientStats {
  root: string;
  files: number;
  channels: ChannelCall[];
  listeners: Listener[];
  sends: Send[];
  effects: Effect[];
  timings: TimingSetting[];
  /** The exported UNIFIED_EVENTS found in the source (first one), or null. */
  unifiedEvents: UnifiedEvents | null;
  unparsed: ParseFailure[];
  /** Files of a known framework extension campfire does not read (.mdx, .marko, …): reported, never passed silently. */
  skipped: ParseFailure[];
  clients: ClientCreation[];
  authSignals: AuthSignal[];
  /** Values of `export const` / `export enum` declarations, by exported name (null: files disagree). */
  exportedValues?: Map<string, Known | null>;
  /** Null when no package.json was found at or above the source folder. */
  version: ClientVersion | null;
}
