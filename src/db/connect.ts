import type { Client as PgClient } from 'pg';
import { UsageError } from '../errors.js';
import { scrub } from '../scrub.js';
import type { DatabaseTarget } from './url.js';
import { formatDuration } from '../duration.js';

export interface ConnectOptions {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

export const MIN_SERVER_VERSION_NUM = 150000;

/**
 * Opens one connection with campfire's settings. statement_timeout and application_name are SET after
 * connecting rather than sent as startup parameters, because PgBouncer-style poolers refuse those.
 */
export async function connect(target: DatabaseTarget, opts: ConnectOptions): Promise<PgClient> {
  const { default: pg } = await import('pg');
  let client: PgClient;
  try {
    client = quietSslModeWarning(() => new pg.Client({
      connectionString: target.connectionString,
      connectionTimeoutMillis: opts.connectTimeoutMs,
    }));
  } catch (err) {
    // The driver parses the URL (and reads its ssl files) here: whatever it refuses is the URL's problem.
    throw connectionError(err, target, opts);
  }
  // A server that goes away mid-run emits 'error' on the client; without a listener Node would crash.
  // The error is kept: later queries only say "not queryable", this says why (57P01 and its message).
  client.on('error', (err) => {
    if (!lostWith.has(client)) lostWith.set(client, err); // the first says why; later ones only that it is gone
  });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw connectionError(err, target, opts);
  }
  try {
    await client.query(`SET application_name = 'campfire'`);
    await client.query(`SET statement_timeout = ${Math.max(0, Math.round(opts.statementTimeoutMs))}`);
    // The catalog query's cost estimate crosses jit_above_cost on large schemas, and JIT compilation
    // then takes ~280 ms for a query that runs in ~40 ms: catalog reads never gain from it.
    await client.query('SET jit = off');
    const { rows } = await client.query<{ v: string; s: string }>(
      `select current_setting('server_version_num') as v, current_setting('server_version') as s`,
    );
    assertSupportedServer(Number(rows[0]?.v), String(rows[0]?.s), target);
  } catch (err) {
    await client.end().catch(() => {});
    throw err instanceof UsageError ? err : connectionError(err, target, opts);
  }
  return client;
}

/**
 * pg-connection-string prints a ten-line "SECURITY WARNING" on stderr for sslmode=require/prefer/verify-ca
 * (it checks them as verify-full). campfire's output is one line per problem: the warning is dropped here
 * and its substance is in the SSL error message below, where it matters.
 */
function quietSslModeWarning<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SSL modes .* are treated as aliases for 'verify-full'/.test(text)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

const lostWith = new WeakMap<PgClient, Error>();

/** Why the server or the network ended this client's session, when it did. */
export function sessionEndedBy(client: PgClient): Error | undefined {
  return lostWith.get(client);
}

/** Postgres < 15 has no publication column lists, which half of the checks are about. */
export function assertSupportedServer(versionNum: number, version: string, t: Pick<DatabaseTarget, 'host' | 'port'>): void {
  if (!(versionNum >= MIN_SERVER_VERSION_NUM)) {
    throw new UsageError(
      `${t.host}:${t.port} runs PostgreSQL ${version.split(' ')[0]}; campfire needs 15 or newer (publication column lists arrived in 15).`,
    );
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Turns driver and server errors into one line a person can act on. Never includes the URL. */
export function connectionError(err: unknown, t: DatabaseTarget, opts: ConnectOptions): UsageError {
  const e = (err ?? {}) as PgLikeError;
  const where = `${t.host}:${t.port}`;
  const msg = e.message ?? String(err);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new UsageError(`Nothing is listening at ${where}: check that Postgres is running and the host and port are right.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`The host "${t.host}" could not be found: check the host name in the database URL.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new UsageError(`${where} cannot be reached from here: check the host and your network.`);
    case 'ECONNRESET':
      return new UsageError(`${where} closed the connection: check the port, and whether the server requires SSL (add ?sslmode=require).`);
    case '28P01':
      return new UsageError(`Password authentication failed for user "${t.user}" at ${where}: check the user and password in the database URL.`);
    case '28000':
      return new UsageError(`The server at ${where} refused user "${t.user}" (no such role, or pg_hba.conf does not allow it): check the user in the database URL.`);
    case '3D000':
      return new UsageError(`Database "${t.database}" does not exist at ${where}: check the database name in the URL.`);
    case '57P03':
      return new UsageError(`The server at ${where} is starting up or shutting down: try again in a moment.`);
    case '53300':
      return new UsageError(`The server at ${where} has no free connection slots: try again, or connect through the pooler.`);
    case '57P01':
    case '57P02':
    case '57P05':
      // pg_terminate_backend, a server shutdown or crash, idle_session_timeout: the session is gone.
      return new UsageError(`The server at ${where} ended campfire's session (${e.code}: ${firstLine(msg)}): run again when it accepts connections.`);
    case '57014':
      return new UsageError(`A query timed out after ${formatDuration(opts.statementTimeoutMs)} (statement timeout): the server is busy or a lock is held; retry or raise --statement-timeout.`);
  }
  // pg's connectionTimeoutMillis destroys the socket with "timeout expired" (pg/lib/client.js), and the
  // end that follows reads "Connection terminated due to connection timeout" in some versions.
  if (/^timeout expired$/i.test(msg) || (/timeout/i.test(msg) && /connect/i.test(msg))) {
    return new UsageError(`No answer from ${where} within ${formatDuration(opts.connectTimeoutMs)}: check the host and port, or raise --connect-timeout.`);
  }
  if (/SSL|certificate/i.test(msg)) {
    return new UsageError(`SSL problem connecting to ${where}: ${firstLine(msg)}. Check sslmode in the database URL (campfire's driver checks sslmode=require as verify-full; add uselibpqcompat=true for libpq's meaning).`);
  }
  return new UsageError(`Could not connect to ${where}: ${firstLine(msg)}.`);
}

/** The first line of a driver or server message: relayed text, so scrubbed like any other. */
function firstLine(s: string): string {
  return scrub(s.split('\n')[0] ?? s).replace(/\.$/, '');
}
