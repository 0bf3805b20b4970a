import { readFileSync } from 'node:fs';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { fullCatalog } from '../support/catalog.js';
import { databasesPerTest } from '../support/db.js';
import { applyOpts, runFixPermissions, statuses, tempDir } from '../support/fix.js';

// Each case builds a database state on real Postgres that campfire once harmed, applies fix-permissions,
// and then acts as the role that worked before to prove it still works (or that the plan refused).
// No test here creates a role: roles are cluster-wide, and the drills compare pg_roles while tests run in
// parallel. The Supabase baseline's own roles serve instead (authenticator: a plain LOGIN role).
const db = databasesPerTest('broken');

const ORG = '11111111-1111-1111-1111-111111111111';
/** The app's widget insert (fixtures/app/server.mjs): anon, with the organization setting the app sets. */
const widgetInsert = (name = 'Ada') => `begin; set local role anon; select set_config('app.current_organization_id', '${ORG}', true);
  insert into conversations (organization_id, customer_name) values ('${ORG}', '${name}'); commit;`;

describe('fix-permissions never plans harm', () => {
  it('pins the search_path the roles resolve today: an unqualified call into the extensions schema keeps working', async () => {
    // The Supabase baseline has the extensions schema (uuid-ossp, pgcrypto); an unqualified call into it:
    const d = await db(`create function extensions.shout(t text) returns text language sql immutable as $$ select upper(t) $$;
      create or replace function sync_realtime_conversations() returns trigger language plpgsql as $$
      begin
        insert into realtime_conversations (id, organization_id, customer_name, customer_email, status, priority, updated_at)
        values (new.id, new.organization_id, shout(new.customer_name), new.customer_email, new.status::text, new.priority::text, new.updated_at)
        on conflict (id) do update set customer_name = excluded.customer_name;
        return new;
      end $$;`);
    // As Supabase databases resolve names: "$user", public, extensions.
    await d.query(`alter database ${d.name} set search_path = "$user", public, extensions`);
    const run = await runFixPermissions(d, applyOpts({ policyMode: 'organization' }));
    expect([run.code, run.report.outcome.status]).toEqual([0, 'applied']);
    const fn = (await d.snapshot()).functions.find((f) => f.name === 'sync_realtime_conversations')!;
    expect(fn.config).toEqual(['search_path=public, extensions, pg_temp']);
    await d.query(widgetInsert('ada'));
    expect(await d.query(`select customer_name from realtime_conversations`)).toEqual([{ customer_name: 'ADA' }]);
  });

  it('a role-specific search_path for anon wins over the database one, and "$user" with no schema of that name resolves to nothing', async () => {
    const d = await db();
    await d.query(`alter database ${d.name} set search_path = public`);
    await d.query(`alter role anon in database ${d.name} set search_path = "$user", public, extensions`);
    await d.query(`alter role authenticated in database ${d.name} set search_path = public, extensions`);
    try {
      const run = await runFixPermissions(d);
      const step = run.report.plan.steps.find((s) => s.id.startsWith('function:'))!;
      expect(step.sql[0]).toContain(`SET search_path = "public", "extensions", pg_temp`);
    } finally {
      await d.query(`alter role anon in database ${d.name} reset all; alter role authenticated in database ${d.name} reset all`);
    }
  });

  it('never grants anon/authenticated a write on a table that keeps RLS off: reported as a decision with the SQL', async () => {
    // realtime_conversations without RLS and without its SELECT policy: enabling RLS would refuse anon's
    // SELECT, so RLS stays off, and the guide's GRANT INSERT, UPDATE would open every row to every visitor.
    const d = await db(`alter table realtime_conversations disable row level security; drop policy realtime_conv_select on realtime_conversations;`);
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).not.toContain('grant:public.realtime_conversations:anon');
    const decision = run.report.plan.decisions.find((x) => x.object === 'public.realtime_conversations for anon')!;
    expect(decision.detail).toMatch(/row level security disabled.*GRANT INSERT, UPDATE ON TABLE "public"."realtime_conversations" TO "anon"/);
    await expect(d.query(`begin; set local role anon; update realtime_conversations set customer_name = 'x'; commit;`)).rejects.toThrow(/permission denied/);
    // What worked before still works: anon reads it.
    await d.query(`begin; set local role anon; select * from realtime_conversations; commit;`);
  });

  it('does not enable RLS where a RESTRICTIVE policy reads a setting the app never sets: the widget keeps inserting messages', async () => {
    const d = await db(`create policy messages_all on messages for all to anon, authenticated using (true) with check (true);
      create policy messages_jwt on messages as restrictive for insert to anon with check (current_setting('request.jwt.claim.sub', true) is not null);`);
    await d.query(`insert into conversations (id, organization_id) values ('${ORG}', '${ORG}')`);
    const insert = `begin; set local role anon; insert into messages (conversation_id, organization_id, content, sender_type) values ('${ORG}', '${ORG}', 'hi', 'visitor'); rollback;`;
    await d.query(insert);
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).not.toContain('rls:public.messages');
    expect(run.report.plan.decisions.find((x) => x.object === 'public.messages')!.detail).toMatch(/RESTRICTIVE policy messages_jwt reads request\.jwt\.claim\.sub/);
    await d.query(insert);
  });

  it("a RESTRICTIVE policy on Supabase's auth.uid() counts as keyed on a setting the app does not set", async () => {
    const d = await db(`create policy messages_all on messages for all to anon, authenticated using (true) with check (true);
      create policy messages_mine on messages as restrictive for all to anon using (auth.uid() is not null);`);
    const run = await runFixPermissions(d);
    expect(run.report.plan.steps.map((s) => s.id)).not.toContain('rls:public.messages');
    expect(run.report.plan.decisions.find((x) => x.object === 'public.messages')!.detail).toMatch(/RESTRICTIVE policy messages_mine reads request\.jwt\.claims \(auth\.uid\(\)\)/);
  });

  it('does not enable RLS where another role (neither owner nor BYPASSRLS) writes without a policy: its INSERT keeps working', async () => {
    const reporter = 'authenticator';
    const d = await db(`grant insert, select on messages to ${reporter};
      create policy messages_all on messages for all to anon, authenticated using (true) with check (true);`);
    const insert = `begin; set local role ${reporter}; insert into messages (conversation_id, organization_id, content, sender_type)
      values ('${ORG}', '${ORG}', 'note', 'system'); rollback;`;
    await d.query(`insert into conversations (id, organization_id) values ('${ORG}', '${ORG}')`);
    await d.query(insert);
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.decisions.find((x) => x.object === 'public.messages')!.detail).toContain(`${reporter} INSERT (no permissive INSERT policy applies), ${reporter} SELECT (no permissive SELECT policy applies)`);
    expect((await d.snapshot()).tables.find((t) => t.name === 'messages')!.rlsEnabled).toBe(false);
    await d.query(insert);
  });

  it('the undo restores column-level grants that the table-level REVOKE removes: the catalog is identical', async () => {
    const d = await db(`grant update (customer_name) on realtime_conversations to anon; grant insert (id, organization_id) on realtime_conversations to authenticated with grant option;`);
    const before = await fullCatalog(d);
    const opts = applyOpts();
    const run = await runFixPermissions(d, opts);
    expect(run.code).toBe(0);
    const undo = readFileSync(opts.undoFile as string, 'utf8');
    expect(undo).toContain(`GRANT UPDATE ("customer_name") ON TABLE "public"."realtime_conversations" TO "anon"`);
    await d.query(undo);
    expect(await fullCatalog(d)).toEqual(before);
  });

  it('a catalog name carrying a line break and SQL stays inert in the undo script and migration: running them drops nothing', async () => {
    // An overload of the sync function's name whose argument name smuggles SQL: its signature reaches step titles.
    const d = await db(`create function sync_realtime_conversations("x
DROP TABLE messages CASCADE; --" integer) returns integer language sql as 'select 1'`);
    const before = await fullCatalog(d);
    const dir = tempDir();
    const opts = applyOpts({ writeMigration: dir });
    const run = await runFixPermissions(d, opts);
    expect(run.code).toBe(0);
    const undo = readFileSync(opts.undoFile as string, 'utf8');
    expect(undo).toContain('\\u000aDROP TABLE messages CASCADE; --');
    const stmts = (await parse(undo)).stmts?.length;
    // BEGIN, each undo statement, COMMIT: nothing else.
    expect(stmts).toBe(2 + run.report.plan.steps.flatMap((x) => x.undo).length);
    await d.query(undo);
    expect(await fullCatalog(d)).toEqual(before);
    const migration = readFileSync(run.report.migrationFile!, 'utf8');
    expect((await parse(migration)).stmts?.length).toBe(run.report.plan.steps.flatMap((x) => x.sql).length);
    await d.query(migration);
    expect(await d.query(`select count(*)::int as n from messages`)).toEqual([{ n: 0 }]);
  });

  it('does not make the sync function SECURITY DEFINER when its owner cannot write realtime_conversations; doctor fails such a function', async () => {
    // anon owns it here: no INSERT/UPDATE on realtime_conversations in the broken fixture.
    const owner = 'anon';
    const d = await db(`alter function sync_realtime_conversations() owner to ${owner};`);
    const run = await runFixPermissions(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.steps.map((s) => s.id)).not.toContain('function:public.sync_realtime_conversations()');
    expect(run.report.plan.decisions.find((x) => x.object === 'public.sync_realtime_conversations()')!.detail)
      .toMatch(new RegExp(`its owner ${owner} lacks INSERT, UPDATE on public.realtime_conversations.*OWNER TO "postgres"`));
    // The check judges the owner, not only the attribute (before any repair: anon lacks INSERT/UPDATE there).
    const e = await db(`alter function sync_realtime_conversations() owner to ${owner}; alter function sync_realtime_conversations() security definer set search_path = public, pg_temp`);
    expect((await statuses(e))['functions.security-definer']).toBe('fail');
    // An owner with the grants but under RLS with only a SELECT policy for it is no better.
    await e.query(`grant insert, update, select on realtime_conversations to ${owner}`);
    expect((await statuses(e))['functions.security-definer']).toBe('fail');
    await e.query(`alter function sync_realtime_conversations() owner to postgres`);
    expect((await statuses(e))['functions.security-definer']).toBe('pass');
  });

  it('--policy-mode organization scopes the policies to the organization the app sets: the widget works, other organizations are refused', async () => {
    const d = await db();
    const run = await runFixPermissions(d, applyOpts({ policyMode: 'organization' }));
    expect(run.code).toBe(0);
    const s = await statuses(d);
    expect([s['policies.realtime-conversations'], s['policies.permissive'], s['functions.security-definer']]).toEqual(['pass', 'pass', 'pass']);
    await d.query(widgetInsert());
    // A visitor writing realtime_conversations directly for another organization is refused.
    await d.query(`grant insert on realtime_conversations to anon`);
    await expect(d.query(`begin; set local role anon; select set_config('app.current_organization_id', '${ORG}', true);
      insert into realtime_conversations (id, organization_id, status, priority) values (gen_random_uuid(), gen_random_uuid(), 'open', 'low'); commit;`))
      .rejects.toThrow(/row-level security/);
  });
});
