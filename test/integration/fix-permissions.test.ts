import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { databasesPerTest, withClient } from '../support/db.js';
import { applyOpts, runFixPermissions, statuses } from '../support/fix.js';

const db = databasesPerTest('broken');

const WIDGET_INSERT = `begin; set local role anon; insert into conversations (organization_id, customer_name) values (gen_random_uuid(), 'Ada'); commit;`;

describe('fix-permissions', () => {
  it('dry run prints the plan and changes nothing', async () => {
    const d = await db();
    const before = await d.snapshot();
    const run = await runFixPermissions(d);
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).toEqual([
      'grant:public.realtime_conversations:anon',
      'grant:public.realtime_conversations:authenticated',
      'policy:public.realtime_conversations:realtime_conv_insert',
      'policy:public.realtime_conversations:realtime_conv_update',
      'function:public.sync_realtime_conversations()',
    ]);
    expect(run.report.plan.notes.join(' ')).toMatch(/WITH CHECK \(true\).*policies\.permissive/);
    expect(await d.snapshot()).toEqual(before);
  });

  it("the widget's anon insert works after apply; checks pass; messages is left for a decision; second apply is a no-op; undo restores grants, policies and the function exactly", async () => {
    const d = await db();
    const before = await d.snapshot();
    await expect(d.query(WIDGET_INSERT)).rejects.toThrow('permission denied for table realtime_conversations');

    const opts = applyOpts();
    const run = await runFixPermissions(d, opts);
    expect(run.code).toBe(0);
    expect(run.report.outcome.status).toBe('applied');
    const s = await statuses(d);
    for (const id of ['permissions.grants', 'policies.realtime-conversations', 'functions.security-definer', 'functions.search-path']) expect(s[id]).toBe('pass');
    expect(s['policies.permissive']).toBe('warn');
    // messages has grants for every command and no policy: enabling RLS would lock the app out.
    expect(run.report.plan.decisions.map((x) => x.object)).toEqual(['public.messages']);
    const after = await d.snapshot();
    expect(after.tables.find((t) => t.name === 'messages')!.rlsEnabled).toBe(false);
    expect(after.functions.find((f) => f.name === 'sync_realtime_conversations')!.config).toEqual(['search_path=public, pg_temp']);

    await d.query(WIDGET_INSERT);
    expect(await d.query(`select customer_name from realtime_conversations`)).toEqual([{ customer_name: 'Ada' }]);
    await d.query('delete from conversations');

    const again = await runFixPermissions(d, applyOpts());
    expect([again.code, again.report.outcome.status, again.report.plan.steps.length]).toEqual([0, 'nothing-to-do', 0]);

    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    const restored = await d.snapshot();
    expect(restored).toEqual(before);
    expect(restored.tables.find((t) => t.name === 'realtime_conversations')!.acl).toEqual(before.tables.find((t) => t.name === 'realtime_conversations')!.acl);
  });

  it('enables RLS where every granted command has a policy', async () => {
    const d = await db(`create policy messages_all on messages for all to anon, authenticated using (organization_id is not null)`);
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).toContain('rls:public.messages');
    expect(run.report.plan.verifies).toContain('permissions.rls-enabled');
    const s = await statuses(d);
    expect([s['permissions.rls-enabled'], s['permissions.policies']]).toEqual(['pass', 'pass']);
  });

  it("adds conversations_select_org when conversations has no SELECT policy, comparing the uuid as text", async () => {
    const d = await db('drop policy conversations_select on conversations');
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).toContain('policy:public.conversations:conversations_select_org');
    const [org] = await d.query<{ id: string }>('select gen_random_uuid()::text as id');
    await d.query(`insert into conversations (organization_id) values ($1), (gen_random_uuid())`, [org!.id]);
    const rows = await withClient(d.url, async (c) => {
      await c.query('begin; set local role anon');
      await c.query(`select set_config('app.current_organization_id', $1, true)`, [org!.id]);
      const r = (await c.query('select organization_id::text from conversations')).rows;
      await c.query('commit');
      return r;
    });
    expect(rows).toEqual([{ organization_id: org!.id }]);
  });

  it("re-pins a search_path of '' (which breaks the unqualified insert) and the undo restores ''", async () => {
    const d = await db(`alter function sync_realtime_conversations() security definer set search_path = ''`);
    const before = await d.snapshot();
    const opts = applyOpts();
    const run = await runFixPermissions(d, opts);
    expect(run.code).toBe(0);
    expect((await d.snapshot()).functions.find((f) => f.name === 'sync_realtime_conversations')!.config).toEqual(['search_path=public, pg_temp']);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });
});

describe('fix-permissions with roles that do not exist', () => {
  it('reports the missing roles and plans no policy without roles', async () => {
    const { writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { tempDir } = await import('../support/fix.js');
    const d = await db();
    const cfg = path.join(tempDir(), 'campfire.config.json');
    writeFileSync(cfg, JSON.stringify({ roles: { anon: 'no_such_anon', authenticated: 'no_such_authenticated' } }));
    const run = await runFixPermissions(d, { config: cfg });
    expect(run.code).toBe(0);
    expect(run.report.plan.decisions.map((x) => x.object)).toEqual(expect.arrayContaining(['role no_such_anon', 'role no_such_authenticated']));
    expect(run.report.plan.steps.some((s) => s.id.startsWith('policy:'))).toBe(false);
    expect(run.report.plan.verifies).not.toContain('permissions.grants');
  });
});
