import { closeSync, openSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';

export interface DatabaseTarget {
  /** The URL as given, for the driver only; never printed. */
  connectionString: string;
  /** The same URL without its password: safe to print, log and put in reports. */
  display: string;
  host: string;
  port: number;
  database: string;
  user: string;
}

const HINT = 'expected postgres://USER:PASSWORD@HOST:PORT/DATABASE';

/** Parses and validates a database URL, registering its password as a secret before anything can print it. */
export function parseDatabaseUrl(raw: string): DatabaseTarget {
  const text = raw.trim();
  // Register the password before parsing can fail, in case the error path echoes the input.
  const pw = /^[a-z]+:\/\/[^:/@]*:([^@]*)@/i.exec(text)?.[1];
  registerSecret(pw);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`The database URL is not a valid URL: ${HINT}.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`The database URL must start with postgres:// or postgresql:// (got ${url.protocol}//): ${HINT}.`);
  }
  registerSecret(url.password);
  registerSecret(url.searchParams.get('password'));
  if (!url.hostname && !url.searchParams.get('host')) {
    throw new UsageError(`The database URL has no host: ${HINT}.`);
  }
  for (const param of SSL_FILES) {
    const file = url.searchParams.get(param);
    if (file) checkSslFile(param, file);
  }
  const port = url.port ? Number(url.port) : 5432;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const user = decodeURIComponent(url.username) || process.env.PGUSER || 'postgres';

  const shown = new URL(url.toString());
  shown.password = '';
  shown.searchParams.delete('password');
  return {
    connectionString: text,
    display: shown.toString(),
    host: url.hostname || url.searchParams.get('host') || 'localhost',
    port,
    database,
    user,
  };
}

/** Where the URL comes from: the flag first, then the environment variables people already have. */
export function databaseUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? env.DATABASE_URL ?? env.SUPABASE_DB_URL;
}

/** URL parameters naming files the driver reads while the URL is parsed (pg-connection-string, readFileSync). */
const SSL_FILES = ['sslrootcert', 'sslcert', 'sslkey'] as const;

/**
 * The driver reads these files synchronously when it parses the URL, and a missing one escaped as a raw
 * ENOENT. Checked here first, so it is one line naming the parameter, before anything connects.
 */
function checkSslFile(param: (typeof SSL_FILES)[number], file: string): void {
  let why: string | undefined;
  try {
    if (statSync(file).isDirectory()) why = 'is a directory';
    else closeSync(openSync(file, 'r'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code})`;
  }
  if (why) {
    throw new UsageError(`The database URL's ${param}=${file} ${why}: give the path of a readable PEM file, or remove ${param} from the URL.`);
  }
}
