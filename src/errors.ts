/**
 * A problem with what the user gave us (flags, config, URL, an unreachable server): campfire could not
 * run, so it exits 2 with this one line. Anything else that escapes is a bug and is reported as such.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * The server or the network ended campfire's session while a fix was running: pg_terminate_backend, a
 * server restart or failover, an idle-session timeout, a dropped connection. Not a bug and not bad input:
 * the fix could not be applied (exit 1), and what the database now holds depends on when it happened.
 */
export class SessionLostError extends Error {
  override name = 'SessionLostError';
  constructor(
    message: string,
    /** The connection went away after COMMIT was sent: whether it committed cannot be known from here. */
    readonly duringCommit: boolean,
  ) {
    super(message);
  }
}

/**
 * SQLSTATEs that end the session (PostgreSQL "Appendix A. Error Codes": class 08 connection exceptions;
 * 57P01 admin_shutdown, which pg_terminate_backend sends; 57P02 crash_shutdown; 57P05
 * idle_session_timeout), the socket errors of a dropped connection, and node-postgres' own messages for a
 * client whose connection has already died (pg/lib/client.js).
 */
const LOST_CODES = new Set(['57P01', '57P02', '57P05', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
const LOST_MESSAGE = /Connection terminated|not queryable|Client was closed|terminating connection/i;

export function isSessionLost(err: unknown): boolean {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  return LOST_CODES.has(code) || code.startsWith('08') || LOST_MESSAGE.test(String(e.message ?? ''));
}

/**
 * Says what happened and what it means for the database. A client that already knew its connection was
 * dead ("not queryable") never sent the COMMIT, so only a loss reported while COMMIT was in flight leaves
 * the outcome open.
 */
export function sessionLost(err: unknown, committing: boolean, where: string, cause?: unknown): SessionLostError {
  const line = (x: unknown) => String((x as { message?: unknown })?.message ?? x).split('\n')[0]!.replace(/\.$/, '');
  // `cause` is what the client heard when the session ended (57P01 …); `err` may only say "not queryable".
  const c = (cause ?? err ?? {}) as { code?: unknown };
  const code = typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code) ? `${c.code}: ` : '';
  const why = `${code}${line(cause ?? err)}`;
  const duringCommit = committing && !/not queryable|Client was closed/i.test(line(err));
  if (duringCommit) {
    return new SessionLostError(
      `the connection to ${where} was lost while COMMIT was in flight (${why}): campfire cannot know whether the server committed. ` +
        'Run the same command again without --apply: "nothing to do" means the change was committed (the undo script reverses it); ' +
        'the same plan means it was not and nothing was changed',
      true,
    );
  }
  return new SessionLostError(
    `the server ended campfire's session at ${where} before COMMIT (${why}): the open transaction ended with it, ` +
      'so nothing was committed and the database is as it was; run the command again when the server accepts connections',
    false,
  );
}
