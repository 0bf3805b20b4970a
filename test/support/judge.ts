import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckResult } from '../../src/checks/types.js';
import { DEFAULT_CONFIG, type CampfireConfig } from '../../src/config.js';
import { createDatabase, type TestDb } from './db.js';
import type { FixtureState } from './templates.js';

/** Runs every database check against a real database and returns the results by id. */
export async function judgeDb(db: TestDb, config: CampfireConfig = DEFAULT_CONFIG): Promise<Record<string, CheckResult>> {
  const snap = await db.snapshot(config);
  return Object.fromEntries(runChecks(CHECKS.filter((c) => c.input === 'database'), { database: snap }, config).map((r) => [r.id, r]));
}

/** A fresh database in `state` with `sql` applied, judged, then dropped. */
export async function judgeState(state: FixtureState, sql: string, config?: CampfireConfig): Promise<Record<string, CheckResult>> {
  const db = await createDatabase(state, sql);
  try {
    return await judgeDb(db, config);
  } finally {
    await db.drop();
  }
}

export function objects(r: CheckResult | undefined): string[] {
  return (r?.findings ?? []).map((f) => f.object);
}
