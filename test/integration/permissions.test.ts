import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { judgeState, objects } from '../support/judge.js';

describe('policies.realtime-conversations', () => {
  it('fails naming the missing command and roles', async () => {
    const r = await judgeState('healthy', 'drop policy realtime_conv_update on realtime_conversations');
    expect(r['policies.realtime-conversations']!.findings).toEqual([
      { object: 'public.realtime_conversations', detail: 'UPDATE refused for anon, authenticated: no permissive UPDATE policy applies' },
    ]);
  });

  it('accepts a policy TO public, and FOR ALL', async () => {
    const r = await judgeState(
      'healthy',
      `drop policy realtime_conv_insert on realtime_conversations;
       drop policy realtime_conv_update on realtime_conversations;
       create policy rc_all on realtime_conversations for all to public using (organization_id is not null)`,
    );
    expect(r['policies.realtime-conversations']!.status).toBe('pass');
  });

  it('ignores restrictive policies and policies for other roles', async () => {
    const r = await judgeState(
      'healthy',
      `drop policy realtime_conv_insert on realtime_conversations;
       create policy rc_restrict on realtime_conversations as restrictive for insert to anon, authenticated with check (true);
       create policy rc_service on realtime_conversations for insert to service_role with check (true)`,
    );
    expect(r['policies.realtime-conversations']!.findings).toEqual([
      { object: 'public.realtime_conversations', detail: 'INSERT refused for anon, authenticated: no permissive INSERT policy applies' },
    ]);
  });

  it('splits roles across policies: one for anon is not enough', async () => {
    const r = await judgeState(
      'healthy',
      `drop policy realtime_conv_insert on realtime_conversations;
       create policy rc_anon on realtime_conversations for insert to anon with check (organization_id is not null)`,
    );
    expect(r['policies.realtime-conversations']!.findings[0]!.detail).toBe('INSERT refused for authenticated: no permissive INSERT policy applies');
  });
});

describe('functions.security-definer', () => {
  it('fails when the function is missing', async () => {
    const r = await judgeState('healthy', 'drop function sync_realtime_conversations() cascade');
    expect(r['functions.security-definer']!.status).toBe('fail');
    expect(r['triggers.sync-realtime']!.status).toBe('fail');
  });

  it('reports update_updated_at_column without failing on it', async () => {
    const r = await judgeState('healthy', '');
    expect(r['functions.security-definer']!.status).toBe('pass');
    expect(r['functions.security-definer']!.summary).toMatch(/update_updated_at_column is SECURITY INVOKER/);
  });
});

describe('triggers.sync-realtime', () => {
  it('fails when the trigger is disabled', async () => {
    const r = await judgeState('healthy', 'alter table conversations disable trigger sync_realtime_conversations_trigger');
    expect(r['triggers.sync-realtime']!.findings[0]!.detail).toMatch(/disabled/);
  });

  it('fails when it fires only in replica mode, or calls another function', async () => {
    const replica = await judgeState('healthy', 'alter table conversations enable replica trigger sync_realtime_conversations_trigger');
    expect(replica['triggers.sync-realtime']!.findings[0]!.detail).toMatch(/replica mode/);
    const other = await judgeState(
      'healthy',
      `drop trigger sync_realtime_conversations_trigger on conversations;
       create trigger sync_realtime_conversations_trigger after insert on conversations for each row execute function update_updated_at_column()`,
    );
    expect(other['triggers.sync-realtime']!.findings[0]!.detail).toMatch(/calls public.update_updated_at_column\(\)/);
  });

  it('fails when the trigger is missing', async () => {
    const r = await judgeState('healthy', 'drop trigger sync_realtime_conversations_trigger on conversations');
    expect(r['triggers.sync-realtime']!.status).toBe('fail');
  });
});

describe('permissions.grants', () => {
  it('names every missing (table, role, privilege)', async () => {
    const r = await judgeState('broken', '');
    expect(r['permissions.grants']!.findings).toEqual([
      { object: 'public.realtime_conversations', detail: 'anon lacks INSERT, UPDATE' },
      { object: 'public.realtime_conversations', detail: 'authenticated lacks INSERT, UPDATE' },
    ]);
  });

  it('counts grants to PUBLIC', async () => {
    const r = await judgeState('broken', 'grant insert, update on realtime_conversations to public');
    expect(r['permissions.grants']!.status).toBe('pass');
  });

  it('reports roles that do not exist', async () => {
    const r = await judgeState('healthy', '', { ...DEFAULT_CONFIG, roles: { ...DEFAULT_CONFIG.roles, serviceRole: 'no_such_role' } });
    expect(objects(r['permissions.grants'])).toEqual(['role no_such_role']);
  });
});

describe('permissions.rls-enabled and permissions.policies', () => {
  it('fail for messages in the broken state', async () => {
    const r = await judgeState('broken', '');
    expect(objects(r['permissions.rls-enabled'])).toEqual(['public.messages']);
    expect(objects(r['permissions.policies'])).toEqual(['public.messages']);
    // fix-permissions cannot write messages' policy for the app: the advice says what a person decides.
    expect(r['permissions.policies']!.advice).toMatch(/The guide gives no policy for messages/);
    expect(r['permissions.rls-enabled']!.advice).toMatch(/never locked out/);
  });
});

describe('functions.search-path', () => {
  it('fails on a SECURITY DEFINER function without search_path, with the statement to pin it', async () => {
    const r = await judgeState('healthy', `create function org_stats() returns int language sql security definer as 'select 1'`);
    expect(r['functions.search-path']!.findings).toEqual([
      { object: 'public.org_stats()', detail: 'no SET search_path: ALTER FUNCTION public.org_stats() SET search_path = public, pg_temp;' },
    ]);
  });

  it("flags the guide's own ALTER FUNCTION … SECURITY DEFINER", async () => {
    const r = await judgeState('broken', 'alter function sync_realtime_conversations() security definer');
    expect(r['functions.security-definer']!.status).toBe('pass');
    expect(r['functions.search-path']!.status).toBe('fail');
  });
});

describe('policies.permissive', () => {
  it("warns (never fails) on the guide's WITH CHECK (true) policies", async () => {
    const r = await judgeState(
      'broken',
      `create policy "realtime_conv_insert" on realtime_conversations for insert to authenticated, anon with check (true);
       create policy "realtime_conv_update" on realtime_conversations for update to authenticated, anon using (true) with check (true)`,
    );
    expect(r['policies.permissive']!.status).toBe('warn');
    expect(objects(r['policies.permissive'])).toEqual([
      'policy "realtime_conv_insert" on public.realtime_conversations',
      'policy "realtime_conv_update" on public.realtime_conversations',
    ]);
    expect(r['policies.realtime-conversations']!.status).toBe('pass');
  });

  it('ignores always-true SELECT policies and service_role', async () => {
    const r = await judgeState('healthy', `create policy svc on messages for insert to service_role with check (true)`);
    expect(r['policies.permissive']!.status).toBe('pass');
  });
});

describe('missing tables', () => {
  it('are failed checks, not a crash', async () => {
    const r = await judgeState('baseline', '');
    for (const id of ['publication.tables', 'policies.realtime-conversations', 'triggers.sync-realtime', 'permissions.grants', 'permissions.rls-enabled', 'permissions.policies']) {
      expect(r[id]!.status, id).toBe('fail');
    }
    expect(objects(r['permissions.rls-enabled'])).toEqual(['public.conversations', 'public.messages', 'public.realtime_conversations']);
  });
});

describe('quoted mixed-case identifiers via config', () => {
  it('finds tables, functions and triggers by their exact names', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      schema: 'Support Desk',
      tables: { conversations: 'Conversations', messages: 'Messages', realtimeConversations: 'RealtimeConversations' },
      publication: 'Realtime Pub',
      functions: { sync: 'SyncRealtime', updatedAt: 'Touch' },
      trigger: 'Sync Trigger',
    };
    const r = await judgeState(
      'baseline',
      `create schema "Support Desk";
       create table "Support Desk"."Conversations" (id uuid primary key, organization_id uuid, "Customer" jsonb);
       create table "Support Desk"."Messages" (id uuid primary key, organization_id uuid, body text);
       create table "Support Desk"."RealtimeConversations" (id uuid primary key, organization_id uuid);
       create function "Support Desk"."SyncRealtime"() returns trigger language plpgsql security definer
         set search_path = "Support Desk", pg_temp as $$ begin return new; end $$;
       create trigger "Sync Trigger" after insert or update on "Support Desk"."Conversations" for each row execute function "Support Desk"."SyncRealtime"();
       create publication "Realtime Pub" for table "Support Desk"."Conversations", "Support Desk"."Messages";`,
      config,
    );
    expect(r['publication.exists']!.status).toBe('pass');
    expect(objects(r['publication.tables'])).toEqual(['Support Desk.RealtimeConversations']);
    expect(objects(r['publication.scalar-columns'])).toEqual(['Support Desk.Conversations.Customer']);
    expect(r['functions.security-definer']!.status).toBe('pass');
    expect(r['functions.search-path']!.status).toBe('pass');
    expect(r['triggers.sync-realtime']!.status).toBe('pass');
  });
});
