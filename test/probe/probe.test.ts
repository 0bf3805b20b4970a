import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { MARKED_ORGANIZATION_ID, probeDatabase, rehearse, type ProbeResult } from '../../src/probe/index.js';
import { databasesPerTest, withClient } from '../support/db.js';
import { databaseState } from './state.js';

const perTest = databasesPerTest();
const db = (state: 'broken' | 'healthy', sql?: string) => perTest(sql, state);

const step = (r: ProbeResult, role: string, id: string, table?: string) =>
  r.roles.find((x) => x.role === role)?.steps.find((s) => s.step === id && (!table || s.table === `public.${table}`));

describe('the behavioural probe', () => {
  it('names the guide\'s exact error for anon on the broken fixture, and changes nothing', async () => {
    const d = await db('broken');
    const before = await databaseState(d.url);
    const r = await probeDatabase(d.url, DEFAULT_CONFIG);
    expect(r.status).toBe('probed');
    expect(r.organizationId).toBe(MARKED_ORGANIZATION_ID);
    expect(r.organizationMarked).toBe(true);
    expect(step(r, 'anon', 'insert-conversation')).toMatchObject({ outcome: 'error', code: '42501', message: 'permission denied for table realtime_conversations' });
    expect(step(r, 'authenticated', 'insert-conversation')).toMatchObject({ outcome: 'error', code: '42501' });
    // messages has no RLS and the baseline's default privileges: anon may write it.
    expect(step(r, 'anon', 'insert-message')?.outcome).toBe('ok');
    // Every role holding privileges on the guide's tables is probed, not only the guide's two.
    expect(r.roles.map((x) => x.role)).toEqual(expect.arrayContaining(['anon', 'authenticated', 'service_role', 'postgres']));
    expect(step(r, 'service_role', 'insert-conversation')?.outcome).toBe('ok');
    expect(await databaseState(d.url)).toEqual(before);
  });

  it('passes the widget path on the healthy fixture with a given organization id, and changes nothing', async () => {
    const d = await db('healthy');
    const before = await databaseState(d.url);
    const org = '11111111-2222-4333-8444-555555555555';
    const r = await probeDatabase(d.url, DEFAULT_CONFIG, { organizationId: org });
    expect(r.organizationMarked).toBe(false);
    for (const role of ['anon', 'authenticated']) {
      expect(step(r, role, 'insert-conversation')?.outcome).toBe('ok');
      expect(step(r, role, 'insert-message')?.outcome).toBe('ok');
      expect(step(r, role, 'read-realtime-conversation')).toMatchObject({ outcome: 'ok', rows: 1 });
      // conversations has no UPDATE policy: Postgres raises nothing, the row is simply not reached.
      expect(step(r, role, 'update-conversation')).toMatchObject({ outcome: 'no-rows', rows: 0 });
    }
    expect(await databaseState(d.url)).toEqual(before);
  });

  it('reads policies keyed on the organization setting and on auth.uid() the way PostgREST sets them', async () => {
    const d = await db('healthy', `
      create schema if not exists auth;
      create or replace function auth.uid() returns uuid language sql stable as
        $$ select nullif(current_setting('request.jwt.claims', true)::jsonb ->> 'sub', '')::uuid $$;
      grant usage on schema auth to anon, authenticated;
      drop policy messages_insert on messages;
      create policy messages_insert_user on messages for insert to authenticated with check (auth.uid() is not null);`);
    const r = await probeDatabase(d.url, DEFAULT_CONFIG, { roles: ['anon', 'authenticated'] });
    expect(step(r, 'authenticated', 'insert-message')?.outcome).toBe('ok');
    expect(step(r, 'anon', 'insert-message')).toMatchObject({ outcome: 'error', code: '42501', message: 'new row violates row-level security policy for table "messages"' });
  });

  it('reports what Postgres raises for a publication whose column list misses the replica identity, even where RLS hides every row', async () => {
    const d = await db('healthy', 'alter publication supabase_realtime set table conversations (organization_id, customer_name), messages, realtime_conversations');
    const r = await probeDatabase(d.url, DEFAULT_CONFIG, { roles: ['anon'] });
    const upd = step(r, 'anon', 'update-published', 'conversations');
    expect(upd).toMatchObject({ outcome: 'error', code: '42P10', message: 'cannot update table "conversations"' });
    expect(upd?.detail).toMatch(/replica identity/);
    expect(step(r, 'anon', 'delete-published', 'conversations')).toMatchObject({ outcome: 'error', code: '42P10' });
    // the widget's UPDATE of a conversation is an UPDATE of a published table too
    expect(step(r, 'anon', 'update-conversation')?.code).toBe('42P10');
  });

  it('a NOT NULL column the guide\'s payload does not fill is "could not rehearse", not a failure', async () => {
    const d = await db('healthy', `alter table conversations add column visitor_token text not null default 'x';
                                   alter table conversations alter column visitor_token drop default`);
    const r = await probeDatabase(d.url, DEFAULT_CONFIG, { roles: ['anon'] });
    const ins = step(r, 'anon', 'insert-conversation');
    expect(ins?.outcome).toBe('not-rehearsed');
    expect(ins?.message).toBe('could not rehearse: column visitor_token is NOT NULL without a default and the guide\'s payload does not fill it');
    expect(step(r, 'anon', 'insert-message')?.outcome).toBe('not-rehearsed');
    expect(r.roles[0]!.steps.some((s) => s.outcome === 'error')).toBe(false);
  });

  it('skips a role it cannot become, and one that does not exist, with the reason', async () => {
    // No test creates a role (roles are cluster-wide; the drills compare pg_roles while tests run in
    // parallel): the session becomes the baseline's authenticator, a member of anon, authenticated and
    // service_role only, so it cannot become postgres, which holds privileges on the guide's tables.
    const d = await db('healthy');
    const r = await withClient(d.url, async (c) => {
      await c.query('set session authorization authenticator');
      return rehearse(c, DEFAULT_CONFIG);
    });
    const owner = r.roles.find((x) => x.role === 'postgres');
    expect(owner).toMatchObject({ status: 'skipped' });
    expect(owner?.reason).toMatch(/^the connecting user authenticator cannot SET ROLE postgres \(not a member/);
    expect(r.roles.find((x) => x.role === 'anon')?.status).toBe('probed');
    const missing = await probeDatabase(d.url, DEFAULT_CONFIG, { roles: ['no_such_role_x'] });
    expect(missing.roles[0]).toMatchObject({ status: 'skipped', reason: 'role no_such_role_x does not exist' });
  });

  it('a read-only session is a clear skip', async () => {
    const d = await db('healthy');
    await d.query(`alter database ${d.name} set default_transaction_read_only = on`);
    const r = await probeDatabase(d.url, DEFAULT_CONFIG);
    expect(r.status).toBe('skipped');
    expect(r.reason).toMatch(/read-only/);
    expect(r.roles).toEqual([]);
  });

  it('never waits long for a lock: a table another session holds is "not rehearsed"', async () => {
    const d = await db('healthy');
    await withClient(d.url, async (holder) => {
      await holder.query('begin');
      await holder.query('lock table messages in access exclusive mode');
      try {
        const r = await probeDatabase(d.url, DEFAULT_CONFIG, { roles: ['anon'], lockTimeoutMs: 200 });
        // The probe's own message insert (as the connecting user) could not get its lock: every step that
        // needs the message says why instead of failing.
        const ins = step(r, 'anon', 'insert-message');
        expect(ins?.outcome).toBe('not-rehearsed');
        expect(r.roles[0]!.steps.filter((s) => s.table === 'public.messages').every((s) => s.outcome === 'not-rehearsed')).toBe(true);
      } finally {
        await holder.query('rollback');
      }
    });
  });
});
