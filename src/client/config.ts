/**
 * The `events` key of campfire.config.json: the app's broadcast event names, used by
 * client.event-names when the source has no exported UNIFIED_EVENTS.
 */
export function parseEventList(value: unknown, fail: (what: string) => never): string[] {
  if (!Array.isArray(value)) return fail('must be an array of event names, e.g. ["message:created"]');
  const seen = new Set<string>();
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') fail(`[${i}] must be a non-empty string`);
    if (seen.has(v as string)) fail(`[${i}] repeats "${v as string}"`);
    seen.add(v as string);
  });
  return [...seen];
}

/**
 * The `channels` key of campfire.config.json: the channel prefix and topic patterns the client checks
 * judge names against. `{name}` in a pattern stands for one segment (no `:`). `orgWide` topics carry
 * every conversation's events (issue: who can listen to a public channel); `conversation` topics one
 * conversation's.
 */
export interface ChannelNaming {
  prefix: string;
  orgWide: string[];
  conversation: string[];
}

/** The guide's names (Broadcast Event Issues; Performance Issues → Minimize Broadcast Channels). */
export const DEFAULT_CHANNEL_NAMING: ChannelNaming = {
  prefix: 'bcast:',
  orgWide: ['org:{orgId}', 'org:{orgId}:conversations'],
  conversation: ['org:{orgId}:conv:{convId}'],
};

export function parseChannelNaming(value: unknown, fail: (what: string) => never): ChannelNaming {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object: { "prefix": "bcast:", "orgWide": [...], "conversation": [...] }');
  const naming = structuredClone(DEFAULT_CHANNEL_NAMING);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'prefix') {
      if (typeof v !== 'string') fail('.prefix must be a string (may be empty)');
      naming.prefix = v as string;
    } else if (key === 'orgWide' || key === 'conversation') {
      if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p.trim() === '')) fail(`.${key} must be an array of non-empty patterns, e.g. ["org:{orgId}"]`);
      for (const p of v as string[]) if (/[{}]/.test(p.replace(/\{[A-Za-z_][\w]*\}/g, ''))) fail(`.${key}: "${p}" has an unbalanced or empty {placeholder}`);
      naming[key] = v as string[];
    } else fail(`.${key} is not a known key (known: prefix, orgWide, conversation)`);
  }
  if (naming.orgWide.length + naming.conversation.length === 0) fail('needs at least one pattern in orgWide or conversation');
  return naming;
}
