import { describe, expect, it } from 'vitest';
import { judgeState, objects } from '../support/judge.js';

describe('functions.definer-callable', () => {
  it('warns on a SECURITY DEFINER function anon and authenticated can execute, with the REVOKE', async () => {
    const r = await judgeState('healthy', `create function org_report() returns int language sql security definer set search_path = public, pg_temp as 'select 1'`);
    expect(r['functions.definer-callable']!.status).toBe('warn');
    expect(r['functions.definer-callable']!.findings[0]!.detail).toMatch(
      /^anon and authenticated can execute it with postgres's privileges: REVOKE EXECUTE ON FUNCTION public\.org_report\(\) FROM PUBLIC, anon, authenticated;/,
    );
  });

  it('passes once EXECUTE is revoked from PUBLIC, anon and authenticated', async () => {
    const r = await judgeState('healthy', `create function org_report() returns int language sql security definer set search_path = public, pg_temp as 'select 1';
      revoke execute on function org_report() from public, anon, authenticated`);
    expect(r['functions.definer-callable']!.status).toBe('pass');
  });

  it('does not report extension members', async () => {
    // plpgsql is an extension every database has: adding the function to it makes it a member.
    const r = await judgeState('healthy', `create function org_report() returns int language sql security definer set search_path = public, pg_temp as 'select 1';
      alter extension plpgsql add function org_report()`);
    expect(r['functions.definer-callable']!.status).toBe('pass');
  });

  it('does not report trigger functions (the sync function) or procedures', async () => {
    const r = await judgeState('healthy', `create procedure org_cleanup() language sql security definer set search_path = public, pg_temp as 'select 1'`);
    expect(r['functions.definer-callable']!.status).toBe('pass');
  });
});

describe('performance.foreign-key-indexes', () => {
  it('warns on messages.conversation_id without an index, and passes with one', async () => {
    const bare = await judgeState('schema', '');
    expect(bare['performance.foreign-key-indexes']!.findings).toEqual([
      {
        object: 'public.messages (conversation_id)',
        detail: 'foreign key messages_conversation_id_fkey has no index: CREATE INDEX CONCURRENTLY ON "public"."messages" ("conversation_id");',
      },
    ]);
    const partial = await judgeState('schema', "create index on messages (conversation_id) where sender_type = 'visitor'");
    expect(partial['performance.foreign-key-indexes']!.status, 'a partial index does not serve the key').toBe('warn');
    const leading = await judgeState('schema', 'create index on messages (conversation_id, created_at)');
    expect(leading['performance.foreign-key-indexes']!.status).toBe('pass');
    const trailing = await judgeState('schema', 'create index on messages (created_at, conversation_id)');
    expect(trailing['performance.foreign-key-indexes']!.status, 'the key must lead the index').toBe('warn');
  });
});

describe('performance.policy-per-row-calls', () => {
  // The Supabase baseline defines auth.uid(); older baselines did not.
  const auth = `create schema if not exists auth;
    do $$ begin
      if to_regprocedure('auth.uid()') is null then create function auth.uid() returns uuid language sql stable as 'select null::uuid'; end if;
    end $$;`;
  it('warns on current_setting() and auth.uid() outside a subquery', async () => {
    const r = await judgeState('healthy', `${auth}
      create policy per_row_setting on messages for update to anon using (organization_id::text = current_setting('app.current_organization_id', true));
      create policy per_row_uid on conversations for update to authenticated using (auth.uid() = organization_id)`);
    expect(objects(r['performance.policy-per-row-calls'])).toEqual([
      'policy "per_row_uid" on public.conversations',
      'policy "per_row_setting" on public.messages',
    ]);
    expect(r['performance.policy-per-row-calls']!.findings[0]!.detail).toMatch(/^calls auth\.uid\(\) per row/);
  });

  it('passes when each call is wrapped in (select …), as in the healthy fixture', async () => {
    const r = await judgeState('healthy', `${auth}
      create policy once_uid on conversations for update to authenticated using ((select auth.uid()) = organization_id)`);
    expect(r['performance.policy-per-row-calls']!.status).toBe('pass');
  });
});

describe('performance.multiple-permissive', () => {
  it('warns when two permissive policies apply to one role and command (FOR ALL and TO public count)', async () => {
    const r = await judgeState('healthy', `create policy messages_read_all on messages for all to public using (organization_id is not null)`);
    expect(r['performance.multiple-permissive']!.findings).toEqual([
      { object: 'public.messages', detail: 'SELECT for anon, authenticated goes through "messages_read_all", "messages_select_org": merge them into one policy' },
      { object: 'public.messages', detail: 'INSERT for anon, authenticated goes through "messages_insert", "messages_read_all": merge them into one policy' },
    ]);
  });

  it('does not count restrictive policies or policies for other roles', async () => {
    const r = await judgeState('healthy', `create policy r on messages as restrictive for select to anon using (true);
      create policy svc on messages for select to service_role using (true)`);
    expect(r['performance.multiple-permissive']!.status).toBe('pass');
  });
});
