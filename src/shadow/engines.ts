import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { UsageError } from '../errors.js';
import { parseDatabaseUrl } from '../db/url.js';
import { registerSecret } from '../secrets.js';
import { baselineSql, baselineTag } from './baseline.js';

/** A database ready for the migrations: the Supabase baseline loaded, nothing else. */
export interface ShadowDatabase {
  url: string;
  /** For the report: "embedded PostgreSQL 17.6", "--shadow-url postgres://…", "container supabase/postgres:…". */
  engine: string;
  /** Drops what the shadow made and stops what it started. Safe to call twice. */
  dispose(): Promise<void>;
}

export const SHADOW_IMAGE_DEFAULT = 'supabase/postgres:15.8.1.085';

export function shadowDatabaseName(): string {
  return `campfire_shadow_${randomBytes(5).toString('hex')}`;
}

/** --shadow-url: a new database on that server (dropped afterwards), or the given database itself when it is empty. */
export async function urlShadow(raw: string): Promise<ShadowDatabase> {
  const target = parseDatabaseUrl(raw);
  const admin = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (err) {
    throw new UsageError(`--shadow-url ${target.display}: cannot connect (${firstLine(err)}).`);
  }
  const name = shadowDatabaseName();
  try {
    await admin.query(`create database ${name}`);
  } catch (err) {
    // No CREATEDB: the given database must itself be the empty one.
    if ((err as { code?: string }).code !== '42501') {
      await admin.end().catch(() => {});
      throw new UsageError(`--shadow-url ${target.display}: could not create a shadow database (${firstLine(err)}).`);
    }
    const used = await admin.query(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')`);
    await admin.end().catch(() => {});
    if ((used.rows[0] as { n: number }).n > 0) {
      throw new UsageError(`--shadow-url ${target.display}: the role may not create databases and this database is not empty (tables in public): give an empty database or a role with CREATEDB.`);
    }
    await loadBaseline(target.connectionString);
    return { url: target.connectionString, engine: `--shadow-url ${target.display} (this database; no CREATEDB)`, dispose: async () => {} };
  }
  await admin.end().catch(() => {});
  const url = withDatabase(target.connectionString, name);
  const dispose = once(() => dropDatabase(target.connectionString, name));
  try {
    await loadBaseline(url);
  } catch (err) {
    await dispose();
    throw err;
  }
  return { url, engine: `--shadow-url ${target.display} (database ${name}, dropped afterwards)`, dispose };
}

/** --shadow container: Supabase's own image through testcontainers, where a Docker engine is reachable. */
export async function containerShadow(image = SHADOW_IMAGE_DEFAULT): Promise<ShadowDatabase> {
  // Not a dependency of campfire (it is large and only Docker users need it): resolved at run time, so the
  // bundle leaves it out and a project that wants --shadow container installs it beside campfire.
  const specifier = 'testcontainers';
  const { GenericContainer, Wait } = (await import(specifier).catch(() => {
    throw new UsageError('--shadow container needs the testcontainers package beside campfire (npm install --save-dev testcontainers), and a Docker engine.');
  })) as typeof import('testcontainers');
  const password = randomBytes(12).toString('hex');
  registerSecret(password);
  let container;
  try {
    container = await new GenericContainer(image)
      .withEnvironment({ POSTGRES_PASSWORD: password })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
  } catch (err) {
    const why = firstLine(err);
    const noDocker = /container runtime|docker|socket|ENOENT|ECONNREFUSED/i.test(why);
    throw new UsageError(noDocker
      ? `--shadow container needs a Docker engine, and none is reachable (${why}): start Docker, or drop --shadow container to use the embedded PostgreSQL (no Docker needed), or give --shadow-url.`
      : `--shadow container could not start ${image} (${why}).`);
  }
  const url = `postgres://postgres:${password}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  try {
    // The image already has the roles and schemas; the baseline (idempotent) adds what only the services create (realtime.messages).
    await loadBaseline(url);
  } catch (err) {
    await container.stop().catch(() => {});
    throw err;
  }
  return { url, engine: `container ${image}`, dispose: once(async () => void (await container.stop())) };
}

export async function loadBaseline(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('set client_min_messages = warning');
    await c.query(await baselineSql());
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

export function firstLine(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  return (text.split('\n').find((l) => l.trim()) ?? text).trim().replace(/\.$/, '');
}

export { baselineTag };
