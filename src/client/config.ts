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
