import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
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
    expect(sem.rowSecurity(t, 'anon', 'UPSERT')).toMatchObject({ allowed: false, reason: 'no permissive policy for anon admits rows to SELECT' });
  });

  it('a policy TO a role applies to its INHERIT members only', async () => {
    // Roles of this test's own (cluster-wide, so never alter the shared anon/authenticated).
    await db.query(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'campfire_sem_group') then create role campfire_sem_group nologin; end if;
        if not exists (select 1 from pg_roles where rolname = 'campfire_sem_inherit') then create role campfire_sem_inherit nologin inherit; end if;
        if not exists (select 1 from pg_roles where rolname = 'campfire_sem_noinherit') then create role campfire_sem_noinherit nologin noinherit; end if;
      exception when unique_violation or duplicate_object then null;
      end $$;
      grant campfire_sem_group to campfire_sem_inherit, campfire_sem_noinherit;`);
    await withPolicies(`create policy w on realtime_conversations for insert to campfire_sem_group with check (true);`);
    const config = { ...DEFAULT_CONFIG, roles: { anon: 'campfire_sem_inherit', authenticated: 'campfire_sem_noinherit', serviceRole: 'service_role' } };
    const snap = await db.snapshot(config);
    const t = snap.tables.find((x) => x.name === 'realtime_conversations')!;
    const sem = new PolicySemantics(snap);
    expect(sem.rowSecurity(t, 'campfire_sem_inherit', 'INSERT').allowed).toBe(true);
    expect(sem.rowSecurity(t, 'campfire_sem_noinherit', 'INSERT').allowed).toBe(false);
  });
});
