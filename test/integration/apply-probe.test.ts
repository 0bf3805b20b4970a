import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { applyPlan } from '../../src/fixes/apply.js';
import type { FixCommand, Plan, Step } from '../../src/fixes/plan.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { databaseState } from '../probe/state.js';

// The behavioural verification as a backstop: each plan below passes the catalog checks it claims to
// repair, yet harms what a role can do. apply must refuse it (exit 1 in the CLI) and leave the database as it was.

const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

const step = (sql: string[], repairs: string[] = [], extra: Partial<Step> = {}): Step => ({ id: sql[0]!, title: 'test step', reasons: [], sql, undo: [], repairs, ...extra });
const planOf = (command: FixCommand, ...steps: Step[]): Plan => ({ command, steps, decisions: [], refusals: [], notes: [] });

async function applyTo(state: 'broken' | 'healthy', setup: string, plan: Plan) {
  const d = await createDatabase(state, setup || undefined);
  dbs.push(d);
  const before = await databaseState(d.url);
  const outcome = await applyPlan({
    target: parseDatabaseUrl(d.url), config: DEFAULT_CONFIG, connect: { connectTimeoutMs: 10_000, statementTimeoutMs: 15_000 },
    lockTimeoutMs: 5000, planner: () => plan,
  });
  return { outcome, unchanged: JSON.stringify(await databaseState(d.url)) === JSON.stringify(before), d };
}

describe('apply verifies what the roles can do before COMMIT', () => {
  it('refuses a plan that breaks the widget\'s INSERT (search_path pinned to \'\' on the sync function)', async () => {
    const plan = planOf('fix-permissions', step([`ALTER FUNCTION sync_realtime_conversations() SET search_path = ''`], ['functions.search-path']));
    const { outcome, unchanged } = await applyTo('healthy', '', plan);
    expect(outcome.status).toBe('verification-failed');
    expect(outcome.message).toContain('anon: insert into "public"."conversations"');
    expect(outcome.message).toContain('42P01 relation "realtime_conversations" does not exist');
    expect(outcome.probe?.violations.map((v) => v.rule)).toContain('widget-path');
    expect(unchanged).toBe(true);
  });

  it('refuses a plan that opens a table without RLS to anon writes', async () => {
    const setup = 'alter table messages disable row level security; revoke insert, update, delete on messages from anon, authenticated';
    const plan = planOf('fix-permissions', step(['GRANT INSERT, UPDATE ON messages TO anon'], []));
    const { outcome, unchanged } = await applyTo('healthy', setup, plan);
    expect(outcome.status).toBe('verification-failed');
    const v = outcome.probe!.violations.filter((x) => x.rule === 'newly-possible-without-rls');
    expect(v.map((x) => [x.role, x.step, x.table])).toContainEqual(['anon', 'insert-message', 'public.messages']);
    expect(outcome.message).toMatch(/newly possible on public\.messages, which has row level security off/);
    expect(unchanged).toBe(true);
  });

  it('refuses a publication column list that leaves out the primary key: UPDATE and DELETE would fail for everyone', async () => {
    const plan = planOf('fix-publication', step(['ALTER PUBLICATION supabase_realtime SET TABLE conversations (organization_id, customer_name), messages, realtime_conversations'], []));
    const { outcome, unchanged } = await applyTo('healthy', '', plan);
    expect(outcome.status).toBe('verification-failed');
    const v = outcome.probe!.violations.find((x) => x.role === 'service_role' && x.step === 'update-published' && x.table === 'public.conversations');
    expect(v).toMatchObject({ rule: 'no-regression', code: '42P10', error: 'cannot update table "conversations"' });
    expect(unchanged).toBe(true);
  });

  it('refuses publishing a table whose only key is DEFERRABLE (Postgres does not use it as replica identity)', async () => {
    const setup = `alter publication supabase_realtime set table conversations (id, organization_id), realtime_conversations;
      alter table messages drop constraint messages_pkey;
      alter table messages add constraint messages_pkey primary key (id) deferrable initially deferred`;
    const plan = planOf('fix-publication', step(['ALTER PUBLICATION supabase_realtime ADD TABLE messages'], ['publication.tables']));
    const { outcome, unchanged } = await applyTo('healthy', setup, plan);
    expect(outcome.status).toBe('verification-failed');
    const v = outcome.probe!.violations.find((x) => x.role === 'service_role' && x.step === 'update-published' && x.table === 'public.messages');
    expect(v?.code).toBe('55000');
    expect(v?.error).toMatch(/cannot update table "messages" because it does not have a replica identity and publishes updates/);
    expect(unchanged).toBe(true);
  });

  it('refuses enabling RLS when another role holding grants would lose what it could do, unless the step declares it', async () => {
    // The other role is the baseline's authenticator (no test creates a cluster-wide role): a plain role
    // holding its own grants, neither owner nor BYPASSRLS.
    const setup = `alter table messages disable row level security;
      grant usage on schema public to authenticator;
      grant select, insert on messages to authenticator;
      grant select on conversations to authenticator`;
    const enable = step(['ALTER TABLE messages ENABLE ROW LEVEL SECURITY'], ['permissions.rls-enabled']);
    const { outcome, unchanged } = await applyTo('healthy', setup, planOf('fix-permissions', enable));
    expect(outcome.status).toBe('verification-failed');
    expect(outcome.probe!.violations.map((v) => [v.rule, v.role, v.step])).toContainEqual(['no-regression', 'authenticator', 'insert-message']);
    expect(outcome.probe!.violations.find((v) => v.role === 'authenticator' && v.step === 'insert-message')?.error).toBe('new row violates row-level security policy for table "messages"');
    expect(unchanged).toBe(true);

    const declared = step(enable.sql, enable.repairs, {
      // Enabling RLS also takes anon's and authenticated's UPDATE and DELETE of messages (no policy allows them).
      intends: (['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const).map((command) => ({ role: '*', table: 'public.messages', command, why: 'the owner chose to put messages behind its policies' })),
    });
    const ok = await applyTo('healthy', setup, planOf('fix-permissions', declared));
    expect(ok.outcome.status).toBe('applied');
    expect(ok.outcome.probe?.violations).toEqual([]);
  });

  it('refuses SECURITY DEFINER on a sync function whose owner cannot write realtime_conversations (the widget path stays broken)', async () => {
    // The owner is the baseline's authenticator, which holds no privilege on realtime_conversations.
    const setup = `grant usage, create on schema public to authenticator;
      alter function sync_realtime_conversations() owner to authenticator;
      create policy realtime_conv_insert on realtime_conversations for insert to anon, authenticated with check (true)`;
    // repairs: [] so only the probe judges (a catalog check that reads the owner's privileges may catch it too).
    const plan = planOf('fix-permissions', step(['ALTER FUNCTION sync_realtime_conversations() SECURITY DEFINER SET search_path = public, pg_temp'], []));
    const { outcome, unchanged } = await applyTo('broken', setup, plan);
    expect(outcome.status).toBe('verification-failed');
    expect(outcome.probe!.violations[0]).toMatchObject({ rule: 'widget-path', role: 'anon', step: 'insert-conversation', code: '42501', error: 'permission denied for table realtime_conversations' });
    expect(unchanged).toBe(true);
  });

  it('a fix-permissions plan that leaves a decision may leave the widget path broken: applied, and the report says so', async () => {
    const plan: Plan = { ...planOf('fix-permissions', step(['GRANT SELECT ON messages TO service_role'], [])), decisions: [{ object: 'public.realtime_conversations', detail: 'left for you', leaves: [] }] };
    const { outcome } = await applyTo('broken', '', plan);
    expect(outcome.status).toBe('applied');
    expect(outcome.probe?.violations).toEqual([]);
    expect(outcome.probe?.unjudged.join('\n')).toContain('the widget path still fails as anon, as before the steps, with decisions left to you');
    expect(outcome.probe?.unjudged.join('\n')).toContain('permission denied for table realtime_conversations');
  });

  it('a plan that leaves a decision may not make the widget path fail in a new way', async () => {
    // The trigger's upsert now reaches realtime_conversations, whose publication row filter names a column
    // outside its replica identity: the widget fails with 42P10 instead of 42501.
    const plan: Plan = {
      ...planOf('fix-permissions', step(['GRANT INSERT, UPDATE ON realtime_conversations TO anon, authenticated', 'CREATE POLICY p_ins ON realtime_conversations FOR INSERT TO anon, authenticated WITH CHECK (true)', 'CREATE POLICY p_upd ON realtime_conversations FOR UPDATE TO anon, authenticated USING (true)'], [])),
      decisions: [{ object: 'public.messages', detail: 'left for you', leaves: [] }],
    };
    const { outcome, unchanged } = await applyTo('broken', "alter publication supabase_realtime add table realtime_conversations where (status <> 'closed')", plan);
    expect(outcome.status).toBe('verification-failed');
    expect(outcome.probe!.violations[0]).toMatchObject({ rule: 'widget-path', role: 'anon', code: '42P10', error: 'cannot update table "realtime_conversations"' });
    expect(unchanged).toBe(true);
  });

  it('the healthy path still applies, and shows what the probe saw before and after', async () => {
    const plan = planOf('fix-permissions', step(['GRANT SELECT, INSERT, UPDATE ON realtime_conversations TO anon, authenticated', 'ALTER FUNCTION sync_realtime_conversations() SECURITY DEFINER SET search_path = public, pg_temp'], []));
    const { outcome } = await applyTo('broken', 'create policy realtime_conv_insert on realtime_conversations for insert to anon, authenticated with check (true)', plan);
    expect(outcome.status).toBe('applied');
    const anon = (r: typeof outcome.probe extends infer P ? P : never, when: 'before' | 'after') => r![when]!.roles.find((x) => x.role === 'anon')!.steps.find((s) => s.step === 'insert-conversation');
    expect(anon(outcome.probe, 'before')).toMatchObject({ outcome: 'error', message: 'permission denied for table realtime_conversations' });
    expect(anon(outcome.probe, 'after')?.outcome).toBe('ok');
  });
});
