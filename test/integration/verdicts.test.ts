import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import pg from 'pg';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { readSnapshot } from '../../src/db/snapshot.js';
import { createDatabase } from '../support/db.js';
import { judgeState } from '../support/judge.js';
import { planPermissions } from '../../src/fixes/permissions.js';

/**
 * Each case is a verdict that was wrong before the policy semantics (a state Postgres treats one way
 * and the check judged the other), checked against the healthy fixture with one change.
 */
const dropRtcPolicies = `drop policy realtime_conv_insert on realtime_conversations;
  drop policy realtime_conv_update on realtime_conversations;`;

describe('policies.realtime-conversations follows row security', () => {
  it('a permissive FOR ALL policy without USING or WITH CHECK grants nothing', async () => {
    const r = await judgeState('healthy', `${dropRtcPolicies} create policy rc_empty on realtime_conversations for all to anon, authenticated`);
    expect(r['policies.realtime-conversations']!.status).toBe('fail');
    expect(r['policies.realtime-conversations']!.findings[0]!.detail).toBe(
      'INSERT refused for anon, authenticated: the applicable permissive policy "rc_empty" admits no new rows for INSERT',
    );
  });

  it('an expression Postgres folds to false grants nothing', async () => {
    const r = await judgeState('healthy', `${dropRtcPolicies}
      create policy rc_ins on realtime_conversations for insert to anon, authenticated with check (1 = 0);
      create policy rc_upd on realtime_conversations for update to anon, authenticated using (true)`);
    expect(r['policies.realtime-conversations']!.findings.map((f) => f.detail)).toEqual([
      'INSERT refused for anon, authenticated: the applicable permissive policy "rc_ins" admits no new rows for INSERT',
    ]);
  });

  it('the ON CONFLICT DO UPDATE needs SELECT visibility', async () => {
    const r = await judgeState('healthy', 'drop policy realtime_conv_select_org on realtime_conversations');
    expect(r['policies.realtime-conversations']!.findings.map((f) => f.detail)).toEqual([
      "SELECT refused for anon, authenticated: no permissive SELECT policy applies (the sync trigger's INSERT … ON CONFLICT DO UPDATE needs SELECT visibility)",
    ]);
  });

  it('a policy TO a role the widget role inherits applies; to one it does not inherit (NOINHERIT) it does not', async () => {
    // Roles are cluster-wide: these exist only inside this transaction, which is rolled back.
    const [group, inherit, noinherit] = ['group', 'in', 'noin'].map((x) => `campfire_vt_${process.pid}_${x}`);
    const db = await createDatabase('healthy');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`create role "${group}" nologin; create role "${inherit}" nologin inherit; create role "${noinherit}" nologin noinherit;
        grant "${group}" to "${inherit}", "${noinherit}";
        ${dropRtcPolicies}
        drop policy realtime_conv_select_org on realtime_conversations;
        create policy rc_group on realtime_conversations for all to "${group}" using (organization_id is not null)`);
      const judge = async (role: string) => {
        const config = { ...DEFAULT_CONFIG, roles: { anon: role, authenticated: role, serviceRole: 'service_role' } };
        const snap = await readSnapshot(client, config);
        return runChecks(CHECKS.filter((c) => c.id === 'policies.realtime-conversations'), { database: snap }, config)[0]!;
      };
      expect((await judge(inherit)).status).toBe('pass');
      expect((await judge(noinherit)).status).toBe('fail');
    } finally {
      await client.query('rollback').catch(() => {});
      await client.end();
      await db.drop();
    }
  });

  it('row level security off needs no policy', async () => {
    const r = await judgeState('healthy', `${dropRtcPolicies} alter table realtime_conversations disable row level security`);
    expect(r['policies.realtime-conversations']!).toMatchObject({ status: 'pass', summary: 'no policy needed: row level security is disabled' });
  });
});

describe('permissions.policies counts only policies for the app', () => {
  it('a table whose only policy is for service_role has no policy for anon/authenticated', async () => {
    const r = await judgeState('healthy', `drop policy messages_select_org on messages; drop policy messages_insert on messages;
      create policy svc on messages for all to service_role using (true)`);
    expect(r['permissions.policies']!.findings).toEqual([
      {
        object: 'public.messages',
        detail: 'anon, authenticated are granted SELECT, INSERT, UPDATE, DELETE, but no applicable policy admits any of them ("svc" ALL TO service_role)',
      },
    ]);
  });

  it('says which granted commands policies allow', async () => {
    const r = await judgeState('healthy', '');
    expect(r['permissions.policies']!.summary).toContain('conversations: anon, authenticated SELECT/INSERT (UPDATE/DELETE granted, refused by RLS)');
  });
});

describe('policies.permissive asks Postgres what is always true', () => {
  it.each([['(1 = 1)'], ["('t'::boolean)"], ['(true or organization_id is null)']])('warns on WITH CHECK %s', async (expr) => {
    const r = await judgeState('healthy', `create policy open_insert on messages for insert to anon with check ${expr}`);
    expect(r['policies.permissive']!.status).toBe('warn');
    // 't'::boolean is stored as the constant true; the others stay expressions the planner folds.
    expect(r['policies.permissive']!.findings[0]!.detail).toMatch(/^INSERT for anon is INSERT WITH CHECK .*: any visitor can write any row$/);
  });
});

describe('functions.search-path requires pg_temp last or an empty path', () => {
  it.each([
    ['public', 'fail'],
    ['pg_temp, public', 'fail'],
    ["''", 'pass'],
    ['public, pg_temp', 'pass'],
  ])('search_path = %s → %s', async (path, status) => {
    const r = await judgeState('healthy', `create function org_stats() returns int language sql security definer set search_path = ${path} as 'select 1'`);
    expect(r['functions.search-path']!.status).toBe(status);
  });

  it("fails search_path = '' on the guide's sync function: its unqualified insert is then open to a temp table", async () => {
    const r = await judgeState('healthy', `alter function sync_realtime_conversations() set search_path = ''`);
    expect(r['functions.search-path']!.findings[0]!.detail).toMatch(/^search_path = '' with the guide's unqualified insert into realtime_conversations/);
  });

  it('reads procedures too', async () => {
    const r = await judgeState('healthy', `create procedure archive_all() language sql security definer as 'select 1'`);
    expect(r['functions.search-path']!.findings).toEqual([
      { object: 'public.archive_all()', detail: 'no SET search_path: ALTER PROCEDURE public.archive_all() SET search_path = public, pg_temp;' },
    ]);
  });
});

describe('permissions.grants reads column grants', () => {
  it('INSERT through column grants on every column is a warning with the exact reason', async () => {
    const r = await judgeState('healthy', `revoke insert on realtime_conversations from anon;
      grant insert (id, organization_id, customer_name, customer_email, status, priority, updated_at) on realtime_conversations to anon`);
    expect(r['permissions.grants']!).toMatchObject({
      status: 'warn',
      findings: [
        {
          object: 'public.realtime_conversations',
          detail: 'anon: INSERT only through column grants on 7 of 7 columns: a column added later is not covered',
          severity: 'warn',
        },
      ],
    });
  });

  it('column grants on some columns fail', async () => {
    const r = await judgeState('healthy', `revoke insert on realtime_conversations from anon; grant insert (id) on realtime_conversations to anon`);
    expect(r['permissions.grants']!.status).toBe('fail');
    expect(r['permissions.grants']!.findings[0]!.detail).toBe('anon: INSERT only on 1 of 7 columns (column grants): statements naming the others fail');
  });
});

describe('triggers.sync-realtime checks when the trigger fires', () => {
  const recreate = (how: string) =>
    `drop trigger sync_realtime_conversations_trigger on conversations;
     create trigger sync_realtime_conversations_trigger ${how} execute function sync_realtime_conversations()`;
  it.each([
    ['after update on conversations for each row', 'fires AFTER UPDATE FOR EACH ROW: never fires on INSERT, so those conversations never reach realtime_conversations'],
    ['after insert or update on conversations for each statement', 'fires AFTER INSERT OR UPDATE FOR EACH STATEMENT: a statement-level trigger has no NEW row to copy'],
    ['before insert or update on conversations for each row', 'fires BEFORE INSERT OR UPDATE FOR EACH ROW: it must fire AFTER, once the conversation row exists (realtime_conversations references it)'],
  ])('%s', async (how, detail) => {
    const r = await judgeState('healthy', recreate(how));
    expect(r['triggers.sync-realtime']!.status).toBe('fail');
    expect(r['triggers.sync-realtime']!.findings.map((f) => f.detail)).toContain(detail);
  });
});

describe('fix-permissions plans with the same semantics', () => {
  it('replaces an INSERT policy that admits nothing, and names the missing SELECT policy as a decision', async () => {
    const db = await createDatabase('healthy', `drop policy realtime_conv_insert on realtime_conversations;
      drop policy realtime_conv_select_org on realtime_conversations;
      create policy rc_insert_empty on realtime_conversations for insert to anon, authenticated`);
    try {
      const plan = planPermissions(await db.snapshot(), DEFAULT_CONFIG, { policyMode: 'guide' });
      // Before, a policy FOR INSERT counted whatever it admitted, so nothing was planned for it.
      expect(plan.steps.map((s) => s.id)).toContain('policy:public.realtime_conversations:realtime_conv_insert');
      expect(plan.decisions.find((d) => d.object === 'public.realtime_conversations')?.detail).toMatch(/^no SELECT policy lets anon, authenticated see rows/);
    } finally {
      await db.drop();
    }
  });
});
