import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { readSnapshot } from '../../src/db/snapshot.js';
import type { CatalogSnapshot, TableInfo } from '../../src/db/catalog.js';
import { PolicySemantics } from '../../src/policies/semantics.js';
import { createDatabase, type TestDb } from '../support/db.js';

/** One database; each case rewrites realtime_conversations' policies and reads the snapshot again. */
let db: TestDb;
beforeAll(async () => {
  db = await createDatabase('healthy');
});
afterAll(async () => {
  await db?.drop();
});

async function withPolicies(sql: string): Promise<{ snap: CatalogSnapshot; t: TableInfo; sem: PolicySemantics }> {
  await db.query(`
    do $$ declare p record; begin
      for p in select polname from pg_policy where polrelid = 'realtime_conversations'::regclass loop
        execute format('drop policy %I on realtime_conversations', p.polname);
      end loop;
    end $$;
    ${sql}`);
  const snap = await db.snapshot();
  const t = snap.tables.find((x) => x.name === 'realtime_conversations')!;
  return { snap, t, sem: new PolicySemantics(snap) };
}

describe('policy semantics', () => {
  it('asks the planner: (1 = 1), \'t\'::boolean, true OR … and NOT false are all constant true', async () => {
    const { t, sem } = await withPolicies(`
      create policy a on realtime_conversations for insert to anon with check (1 = 1);
      create policy b on realtime_conversations for insert to anon with check ('t'::boolean);
      create policy c on realtime_conversations for insert to anon with check (true or organization_id is null);
      create policy d on realtime_conversations for insert to anon with check (not false);
      create policy e on realtime_conversations for insert to anon with check (organization_id = organization_id);
      create policy f on realtime_conversations for insert to anon with check (1 = 0);`);
    const byName = Object.fromEntries(t.policies.map((p) => [p.name, sem.alwaysTrue(t, p, 'INSERT')]));
    // e is not constant: a NULL organization_id makes it NULL.
    expect(byName).toEqual({ a: true, b: true, c: true, d: true, e: false, f: false });
    expect(sem.admission(t, t.policies.find((p) => p.name === 'f')!, 'INSERT')).toBe('none');
  });

  it('a permissive policy without USING or WITH CHECK grants nothing; restrictive never grants', async () => {
    const { t, sem } = await withPolicies(`
      create policy empty on realtime_conversations for all to anon;
      create policy r on realtime_conversations as restrictive for insert to authenticated with check (true);`);
    expect(sem.rowSecurity(t, 'anon', 'INSERT').allowed).toBe(false);
    expect(sem.rowSecurity(t, 'authenticated', 'INSERT').allowed).toBe(false);
  });

  it('UPDATE takes USING from one policy and WITH CHECK from another; UPSERT also needs SELECT', async () => {
    const { t, sem } = await withPolicies(`
      create policy ins on realtime_conversations for insert to anon with check (organization_id is not null);
      create policy u1 on realtime_conversations for update to anon using (true) with check (false);
      create policy u2 on realtime_conversations for update to anon using (false) with check (true);`);
    expect(sem.rowSecurity(t, 'anon', 'UPDATE').allowed).toBe(true);
    expect(sem.rowSecurity(t, 'anon', 'UPSERT')).toMatchObject({ allowed: false, reason: 'no permissive SELECT policy applies' });
  });

  it('a policy TO a role applies to its INHERIT members only', async () => {
    // Roles are cluster-wide: these exist only inside this transaction, which is rolled back.
    const [group, inherit, noinherit] = ['group', 'in', 'noin'].map((x) => `campfire_sem_${process.pid}_${x}`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`create role "${group}" nologin; create role "${inherit}" nologin inherit; create role "${noinherit}" nologin noinherit;
        grant "${group}" to "${inherit}", "${noinherit}";
        create policy w on realtime_conversations for insert to "${group}" with check (true);`);
      const config = { ...DEFAULT_CONFIG, roles: { anon: inherit, authenticated: noinherit, serviceRole: 'service_role' } };
      const snap = await readSnapshot(client, config);
      const t = snap.tables.find((x) => x.name === 'realtime_conversations')!;
      const sem = new PolicySemantics(snap);
      expect(sem.rowSecurity(t, inherit, 'INSERT').allowed).toBe(true);
      expect(sem.rowSecurity(t, noinherit, 'INSERT').allowed).toBe(false);
    } finally {
      await client.query('rollback').catch(() => {});
      await client.end();
    }
  });
});
