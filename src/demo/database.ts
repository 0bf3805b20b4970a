import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { packageRoot, sqlPath } from '../paths.js';

export const DEMO_DATABASE = 'campfire_demo';
/** demo --keep's sandbox: a fresh broken Campfire beside the repaired one, for the user's own first repair. */
export const PRACTICE_DATABASE = 'campfire_practice';

/** The broken Campfire: the Supabase baseline, the Campfire schema, then every symptom in the guide. */
export const BROKEN_FIXTURE = ['00-supabase-baseline.sql', '10-campfire-schema.sql', '20-broken.sql'];

export function serverUrl(port: number, password: string, database = 'postgres'): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Drops and recreates the database (campfire_demo by default) and loads the broken fixture: every run starts from the same state. */
export async function loadBrokenCampfire(port: number, password: string, database = DEMO_DATABASE): Promise<void> {
  await withClient(serverUrl(port, password), async (c) => {
    await c.query(`drop database if exists ${database} with (force)`);
    await c.query(`create database ${database}`);
  });
  const sql = (await Promise.all(BROKEN_FIXTURE.map((f) => readFile(path.join(packageRoot, 'fixtures', 'db', f), 'utf8')))).join('\n');
  await withClient(serverUrl(port, password, database), async (c) => {
    await c.query('set client_min_messages = warning');
    await c.query(sql);
  });
}

/** Runs sql/demo-messages-decision.sql in one transaction; returns its statements for display. */
export async function runDecision(port: number, password: string): Promise<string> {
  const sql = await readFile(sqlPath('demo-messages-decision.sql'), 'utf8');
  await withClient(serverUrl(port, password, DEMO_DATABASE), async (c) => {
    await c.query('begin');
    try {
      await c.query(sql);
      await c.query('commit');
    } catch (err) {
      await c.query('rollback').catch(() => {});
      throw err;
    }
  });
  return sql;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
