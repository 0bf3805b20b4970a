/**
 * A problem with what the user gave us (flags, config, URL, an unreachable server): campfire could not
 * run, so it exits 2 with this one line. Anything else that escapes is a bug and is reported as such.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
