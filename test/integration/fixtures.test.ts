import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createDatabase, type TestDb } from '../support/db.js';

// The database checks only: checks of other inputs are skipped here.
const DATABASE_CHECKS = CHECKS.filter((c) => c.input === 'database');
const statusById = (db: TestDb) =>
  db.snapshot().then((snap) => Object.fromEntries(runChecks(DATABASE_CHECKS, { database: snap }, DEFAULT_CONFIG).map((r) => [r.id, r.status])));

describe('fixture states', () => {
  let broken: TestDb;
  let healthy: TestDb;
  beforeAll(async () => {
    [broken, healthy] = await Promise.all([createDatabase('broken'), createDatabase('healthy')]);
  });
  afterAll(async () => {
    await Promise.all([broken?.drop(), healthy?.drop()]);
  });

  it('healthy: every check passes', async () => {
    const statuses = await statusById(healthy);
    expect(statuses).toEqual(Object.fromEntries(DATABASE_CHECKS.map((c) => [c.id, 'pass'])));
  });

  it("broken: every symptom of the guide is a failed check", async () => {
    expect(await statusById(broken)).toEqual({
      'publication.exists': 'pass',
      'publication.tables': 'fail',
      'publication.scalar-columns': 'fail',
      'policies.realtime-conversations': 'fail',
      'functions.security-definer': 'fail',
      'triggers.sync-realtime': 'pass',
      'permissions.grants': 'fail',
      'permissions.rls-enabled': 'fail',
      'permissions.policies': 'fail',
      'publication.replica-identity': 'pass',
      'functions.search-path': 'pass',
      'policies.permissive': 'pass',
      'policies.realtime-messages': 'pass',
    });
  });

  it("broken: the widget's anon insert fails with the guide's error", async () => {
    await expect(
      broken.query(`begin; set local role anon; insert into conversations (organization_id) values (gen_random_uuid()); commit;`),
    ).rejects.toThrow('permission denied for table realtime_conversations');
  });

  it("healthy: the widget's anon insert reaches realtime_conversations, and UPDATE/DELETE work", async () => {
    await healthy.query(`begin; set local role anon; insert into conversations (organization_id, customer_name) values (gen_random_uuid(), 'Ada'); commit;`);
    await healthy.query(`update conversations set customer_name = 'Grace'`);
    const rows = await healthy.query(`select customer_name from realtime_conversations`);
    expect(rows).toEqual([{ customer_name: 'Grace' }]);
    await healthy.query(`delete from conversations`);
  });
});
