import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { firstControlCharacter } from './fixes/comment.js';
import { GATE_CONFIG_KEYS, parseGateConfig, type GateConfig } from './gate/config.js';
import { parseChannelNaming, parseEventList, type ChannelNaming } from './client/config.js';

/**
 * The guide's names for everything campfire looks at. Every name is an exact catalog name (no case
 * folding): a table created as "Conversations" is configured as "Conversations".
 */
export interface CampfireConfig {
  schema: string;
  tables: { conversations: string; messages: string; realtimeConversations: string };
  publication: string;
  roles: { anon: string; authenticated: string; serviceRole: string };
  functions: { sync: string; updatedAt: string };
  trigger: string;
  /** Extra type names (as pg_type.typname, e.g. "citext") counted as scalar beside the built-in allowlist. */
  scalarTypes: string[];
  /** The CI gate's `only`, `skip` and `failOn` keys (src/gate/config.ts); absent when the file has none. */
  gate?: GateConfig;
  /** The app's broadcast event names for client.event-names, when the source exports no UNIFIED_EVENTS. */
  events?: string[];
  /** Channel prefix and topic patterns for the client checks; the guide's when absent. */
  channels?: ChannelNaming;
}

export const DEFAULT_CONFIG: CampfireConfig = {
  schema: 'public',
  tables: { conversations: 'conversations', messages: 'messages', realtimeConversations: 'realtime_conversations' },
  publication: 'supabase_realtime',
  roles: { anon: 'anon', authenticated: 'authenticated', serviceRole: 'service_role' },
  functions: { sync: 'sync_realtime_conversations', updatedAt: 'update_updated_at_column' },
  trigger: 'sync_realtime_conversations_trigger',
  scalarTypes: [],
};

export const CONFIG_FILE = 'campfire.config.json';

/** Loads --config FILE, else ./campfire.config.json when present, else the guide's defaults. */
export async function loadConfig(file: string | undefined, cwd = process.cwd()): Promise<CampfireConfig> {
  const explicit = file !== undefined;
  const target = path.resolve(cwd, file ?? CONFIG_FILE);
  if (!explicit && !existsSync(target)) return structuredClone(DEFAULT_CONFIG);
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new UsageError(`Config file ${target} ${why}: give a JSON file with --config, or drop the flag to use the guide's defaults.`);
  }
  let json: unknown;
  try {
    // Editors on Windows save UTF-8 with a byte order mark; JSON.parse rejects it, the file is still JSON.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`Config file ${target} is not valid JSON (${(err as Error).message}): fix it or remove it.`);
  }
  return parseConfig(json, target);
}

/** Validates a parsed config document and merges it over the defaults; names the first wrong key. */
export function parseConfig(json: unknown, source = CONFIG_FILE): CampfireConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  const fail = (key: string, what: string): never => {
    throw new UsageError(`Config file ${source}: "${key}" ${what}. See "Configuration" in the README.`);
  };
  if (!isObject(json)) fail('(top level)', 'must be a JSON object');
  const doc = json as Record<string, unknown>;
  for (const [key, value] of Object.entries(doc)) {
    switch (key) {
      case '$schema':
        break;
      case 'schema':
      case 'publication':
      case 'trigger':
        config[key] = name(value, key, fail);
        break;
      case 'tables':
      case 'roles':
      case 'functions': {
        if (!isObject(value)) fail(key, 'must be an object');
        const group = config[key] as unknown as Record<string, string>;
        for (const [sub, v] of Object.entries(value as Record<string, unknown>)) {
          // Own keys only: `in` would accept tables.toString, tables.constructor and tables.__proto__.
          if (!Object.hasOwn(group, sub)) fail(`${key}.${sub}`, `is not a known key (known: ${Object.keys(group).join(', ')})`);
          group[sub] = name(v, `${key}.${sub}`, fail);
        }
        break;
      }
      case 'scalarTypes':
        if (!Array.isArray(value)) fail(key, 'must be an array of type names');
        config.scalarTypes = (value as unknown[]).map((v, i) => name(v, `${key}[${i}]`, fail));
        break;
      case 'events':
        config.events = parseEventList(value, (what) => fail(key, what));
        break;
      case 'channels':
        config.channels = parseChannelNaming(value, (what) => fail(key, what));
        break;
      default:
        // Sections that later features own are accepted and validated there; unknown keys are typos.
        if (!EXTENSION_KEYS.has(key)) {
          fail(key, `is not a known key (known: ${[...Object.keys(DEFAULT_CONFIG), ...EXTENSION_KEYS].join(', ')})`);
        }
    }
  }
  const gate = parseGateConfig(doc, fail);
  if (Object.keys(gate).length) config.gate = gate;
  return config;
}

/** Top-level keys read by other parts of campfire (check selection, latency limits). */
const EXTENSION_KEYS = new Set<string>([...GATE_CONFIG_KEYS, 'events', 'channels']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function name(value: unknown, key: string, fail: (k: string, w: string) => never): string {
  if (typeof value !== 'string' || value.length === 0) return fail(key, 'must be a non-empty string');
  if (Buffer.byteLength(value, "utf8") > 63) return fail(key, 'is longer than 63 bytes, the Postgres limit for names');
  if (value.includes('\0')) return fail(key, 'contains a NUL character');
  // A line break in a name would end the `--` comment lines of the undo script and migration that name
  // it; no real schema object needs a control character, so they are refused outright.
  const control = firstControlCharacter(value);
  if (control) return fail(key, `contains the control character ${control} (line breaks, tabs and other control characters are refused in names)`);
  return value;
}
