import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type TestDb } from './db.js';
import { FIXTURE_DIR } from './templates.js';

export const MIGRATION_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/migrations');

/** A temp folder for one test file; removed by the caller. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `campfire-${prefix}-`));
}

/** The guide's states as a Supabase migrations folder, made from the same fixture files the other tests load. */
export function guideFolder(root: string, state: 'broken' | 'healthy'): string {
  const dir = path.join(root, `guide-${state}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(FIXTURE_DIR, '10-campfire-schema.sql'), path.join(dir, '20240101000000_campfire_schema.sql'));
  copyFileSync(path.join(FIXTURE_DIR, state === 'broken' ? '20-broken.sql' : '30-healthy.sql'), path.join(dir, `20240102000000_${state}.sql`));
  // One more SECURITY DEFINER function, as real projects have beside the guide's (drift's tests alter it live).
  writeFileSync(path.join(dir, '20240103000000_helpers.sql'), 'create function public.is_org_member(org uuid) returns boolean language sql stable security definer set search_path = public, pg_temp as $$ select org is not null $$;\n');
  return dir;
}

/** A copy of a fixtures/migrations folder (tests that add files write into the copy). */
export function copyFixtureFolder(root: string, name: string): string {
  const dir = path.join(root, name);
  cpSync(path.join(MIGRATION_FIXTURES, name), dir, { recursive: true });
  return dir;
}

/**
 * The database --db-url is compared with: the baseline template, then each file sent whole as one simple
 * query, as psql -f would (deliberately not campfire's own statement splitter, so the comparison is
 * between two independent ways of applying the same files).
 */
export async function databaseFromFolder(dir: string): Promise<TestDb> {
  const db = await createDatabase('baseline');
  for (const f of readdirSync(dir).filter((n) => /^\d+_.*\.sql$/.test(n)).sort()) {
    await db.query(readFileSync(path.join(dir, f), 'utf8'));
  }
  return db;
}

interface Check {
  id: string;
  status: string;
  findings: { object: string }[];
}

/** What doctor concluded about the database: each database-reading check's verdict and the objects it named. */
export function databaseVerdicts(doc: { checks: Check[] }, databaseIds: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of doc.checks.filter((x) => databaseIds.includes(x.id))) {
    out[c.id] = `${c.status}: ${c.findings.map((f) => f.object).sort().join(', ')}`;
  }
  return out;
}
