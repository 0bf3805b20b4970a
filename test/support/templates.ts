import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../fixtures/db');

/** The fixture states, each a list of files from fixtures/db loaded in order. */
export const STATES = {
  empty: [],
  baseline: ['00-supabase-baseline.sql'],
  schema: ['00-supabase-baseline.sql', '10-campfire-schema.sql'],
  broken: ['00-supabase-baseline.sql', '10-campfire-schema.sql', '20-broken.sql'],
  healthy: ['00-supabase-baseline.sql', '10-campfire-schema.sql', '30-healthy.sql'],
} as const;
export type FixtureState = keyof typeof STATES;

export function fixtureSql(state: FixtureState): string {
  return STATES[state].map((f) => readFileSync(path.join(FIXTURE_DIR, f), 'utf8')).join('\n');
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** One template database per fixture state, so each test file gets a fresh copy in milliseconds. */
export async function buildTemplates(adminUrl: string): Promise<{ templates: Record<string, string>; serverVersion: string }> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const templates: Record<string, string> = {};
  try {
    const serverVersion = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v.split(' ')[0]!;
    for (const state of Object.keys(STATES) as FixtureState[]) {
      const name = `campfire_tpl_${state}_${run}`;
      await admin.query(`create database ${name}`);
      templates[state] = name;
      const db = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
      await db.connect();
      try {
        if (STATES[state].length) await db.query(fixtureSql(state));
      } finally {
        await db.end();
      }
      await admin.query(`alter database ${name} is_template true`);
    }
    return { templates, serverVersion };
  } finally {
    await admin.end();
  }
}

export async function dropTemplates(adminUrl: string, templates: Record<string, string>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of Object.values(templates)) {
      await admin.query(`alter database ${name} is_template false`);
      await admin.query(`drop database if exists ${name}`);
    }
  } finally {
    await admin.end();
  }
}
