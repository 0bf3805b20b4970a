import { afterEach, inject } from 'vitest';
import pg from 'pg';
import { DEFAULT_CONFIG, type CampfireConfig } from '../../src/config.js';
import type { CatalogSnapshot } from '../../src/db/catalog.js';
import { readSnapshot } from '../../src/db/snapshot.js';
import { withDatabase, type FixtureState } from './templates.js';

export interface TestDb {
  name: string;
  url: string;
  /** Runs SQL as the superuser and returns the rows. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  snapshot(config?: CampfireConfig): Promise<CatalogSnapshot>;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh database in the given fixture state (copied from its template), plus any extra SQL. */
export async function createDatabase(state: FixtureState, extraSql?: string): Promise<TestDb> {
  const adminUrl = inject('adminUrl');
  const template = inject('templates')[state]!;
  const name = `campfire_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name} template ${template} strategy file_copy`));
  const url = withDatabase(adminUrl, name);
  const db: TestDb = {
    name,
    url,
    query: async (sql, params) => withClient(url, async (c) => (await c.query(sql, params)).rows),
    snapshot: async (config = DEFAULT_CONFIG) => withClient(url, (c) => readSnapshot(c, config)),
    drop: async () => {
      await withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
  if (extraSql) await db.query(extraSql);
  return db;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The databases one test makes, dropped after it: `const db = databasesPerTest('broken')`, then
 * `await db(extraSql)` (or `db(extraSql, 'healthy')`) inside a test.
 */
export function databasesPerTest(defaultState: FixtureState = 'broken'): (extraSql?: string, state?: FixtureState) => Promise<TestDb> {
  const made: TestDb[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => d.drop()));
  });
  return async (extraSql, state = defaultState) => {
    const d = await createDatabase(state, extraSql);
    made.push(d);
    return d;
  };
}
