import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { applyPlan } from '../../src/fixes/apply.js';
import type { Plan, Step } from '../../src/fixes/plan.js';
import { createDatabase, type TestDb } from '../support/db.js';

const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

const grant: Step = {
  id: 'grant', title: 'grant', reasons: [], repairs: ['permissions.grants'],
  sql: ['GRANT INSERT, UPDATE ON realtime_conversations TO anon'], undo: ['REVOKE INSERT, UPDATE ON realtime_conversations FROM anon'],
};
const planOf = (...steps: Step[]): Plan => ({ command: 'fix-permissions', steps, decisions: [], refusals: [], notes: [] });

async function apply(d: TestDb, plan: Plan) {
  let committedHook = false;
  let rolledBackHook = false;
  const outcome = await applyPlan({
    target: parseDatabaseUrl(d.url), config: DEFAULT_CONFIG, connect: { connectTimeoutMs: 10_000, statementTimeoutMs: 15_000 },
    lockTimeoutMs: 5000, planner: () => plan,
    beforeCommit: async () => { committedHook = true; },
    onRollback: async () => { rolledBackHook = true; },
  });
  return { outcome, committedHook, rolledBackHook };
}

describe('the plan executor', () => {
  it('rolls back when the checks the plan claims to repair still fail afterwards', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    // Grants anon only: authenticated still lacks INSERT/UPDATE, so permissions.grants fails.
    const { outcome, committedHook } = await apply(d, planOf(grant));
    expect(outcome.status).toBe('verification-failed');
    expect(outcome.verification.map((r) => [r.id, r.status])).toEqual([['permissions.grants', 'fail']]);
    expect(committedHook).toBe(false);
    expect(await d.snapshot()).toEqual(before);
  });

  it('a step the database refuses rolls back the steps before it', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    const broken: Step = { ...grant, id: 'bad', sql: ['ALTER TABLE no_such_table ENABLE ROW LEVEL SECURITY'] };
    const { outcome } = await apply(d, planOf(grant, broken));
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('42P01');
    expect(await d.snapshot()).toEqual(before);
  });

  it('a refused plan changes nothing', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    const { outcome } = await apply(d, { ...planOf(grant), refusals: [{ object: 'x', detail: 'needs a decision', leaves: [] }] });
    expect(outcome.status).toBe('refused');
    expect(await d.snapshot()).toEqual(before);
  });
});
