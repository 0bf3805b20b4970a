import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { databasesPerTest, type TestDb } from '../support/db.js';
import { applyOpts, runFixPublication, statuses } from '../support/fix.js';

const perTest = databasesPerTest();
const db = (state: 'broken' | 'healthy' = 'broken', extra?: string) => perTest(extra, state);

const PUBLICATION_CHECKS = ['publication.exists', 'publication.tables', 'publication.scalar-columns', 'publication.replica-identity'];

/** An UPDATE and a DELETE on every published table: Postgres refuses them when a column list misses the replica identity. */
async function writeEveryPublishedTable(d: TestDb): Promise<void> {
  await d.query(`insert into conversations (organization_id, customer_name) values (gen_random_uuid(), 'Ada')`);
  await d.query(`insert into messages (conversation_id, organization_id, content, sender_type) select id, organization_id, 'hi', 'visitor' from conversations`);
  const published = await d.query<{ schemaname: string; tablename: string }>(`select schemaname, tablename from pg_publication_tables where pubname = 'supabase_realtime'`);
  expect(published.length).toBeGreaterThan(0);
  for (const t of published) {
    const name = `${pg.escapeIdentifier(t.schemaname)}.${pg.escapeIdentifier(t.tablename)}`;
    // ctid-free, column-free no-op update: still a real UPDATE that needs the replica identity.
    // Qualified: FOR ALL TABLES also publishes the baseline's auth/storage tables.
    await d.query(`update ${name} set ${await firstColumn(d, name)} = ${await firstColumn(d, name)}`);
  }
  for (const t of [...published].reverse()) {
    await d.query(`delete from ${pg.escapeIdentifier(t.schemaname)}.${pg.escapeIdentifier(t.tablename)}`);
  }
}
async function firstColumn(d: TestDb, table: string): Promise<string> {
  const [row] = await d.query<{ attname: string }>(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum limit 1`, [table]);
  return pg.escapeIdentifier(row!.attname);
}

describe('fix-publication', () => {
  it('dry run prints the plan and changes nothing', async () => {
    const d = await db();
    const before = await d.snapshot();
    const run = await runFixPublication(d);
    expect(run.code).toBe(0);
    expect(run.report.mode).toBe('dry-run');
    expect(run.report.plan.steps.map((s) => s.id)).toEqual(['publication:supabase_realtime:set-table']);
    expect(run.report.plan.steps[0]!.sql[0]).toMatch(/^ALTER PUBLICATION "supabase_realtime" SET TABLE/);
    expect(await d.snapshot()).toEqual(before);
  });

  it('apply repairs the publication checks, keeps UPDATE/DELETE working, is a no-op the second time, and the undo restores the catalog', async () => {
    const d = await db();
    const before = await d.snapshot();
    const opts = applyOpts();
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    expect(run.report.outcome.status).toBe('applied');
    expect(run.report.plan.verifies).toEqual(PUBLICATION_CHECKS);
    const s = await statuses(d);
    for (const id of PUBLICATION_CHECKS) expect(s[id]).toBe('pass');
    const conv = (await d.snapshot()).tables.find((t) => t.name === 'conversations')!;
    expect(conv.columns.filter((c) => c.published).map((c) => c.name)).toContain('id');

    const again = await runFixPublication(d, applyOpts());
    expect(again.code).toBe(0);
    expect(again.report.outcome.status).toBe('nothing-to-do');
    expect(again.report.plan.steps).toEqual([]);
    expect(again.report.undoFile).toBeNull();

    await writeEveryPublishedTable(d);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });

  it("repairs the guide's naive column list that broke every UPDATE and DELETE", async () => {
    const d = await db('broken', `alter publication supabase_realtime set table conversations (organization_id, customer_name, customer_email), messages`);
    await expect(writeEveryPublishedTable(d)).rejects.toThrow(/does not cover the replica identity|cannot update table/);
    expect((await statuses(d))['publication.replica-identity']).toBe('fail');
    const run = await runFixPublication(d, applyOpts());
    expect(run.code).toBe(0);
    await d.query('delete from messages; delete from conversations');
    await writeEveryPublishedTable(d);
  });

  it('keeps row filters and a list that is already scalar-only, changing only what is wrong', async () => {
    const d = await db('broken', `alter publication supabase_realtime set table conversations (id, customer_name) where (id is not null), messages`);
    const before = await d.snapshot();
    const opts = applyOpts();
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    expect(run.report.plan.steps[0]!.reasons.map((r) => r.split(':')[0])).toEqual(['public.messages', 'public.realtime_conversations']);
    const conv = (await d.snapshot()).tables.find((t) => t.name === 'conversations')!;
    expect(conv.columns.filter((c) => c.published).map((c) => c.name)).toEqual(['id', 'customer_name']);
    expect(conv.rowFilter).toBe(before.tables.find((t) => t.name === 'conversations')!.rowFilter);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });

  it('publish options survive', async () => {
    const d = await db('broken', `alter publication supabase_realtime set (publish = 'insert, update')`);
    expect((await runFixPublication(d, applyOpts())).code).toBe(0);
    const pub = (await d.snapshot()).publication!;
    expect([pub.insert, pub.update, pub.delete, pub.truncate]).toEqual([true, true, false, false]);
  });

  it('refuses a REPLICA IDENTITY FULL table with a way out, and changes nothing', async () => {
    const d = await db('broken', 'alter table messages replica identity full');
    const before = await d.snapshot();
    const dry = await runFixPublication(d);
    expect(dry.code).toBe(1);
    expect(dry.report.plan.refusals[0]!.object).toBe('public.messages');
    expect(dry.report.plan.refusals[0]!.detail).toMatch(/--replica-identity default.*--full-tables no-column-list/);
    const run = await runFixPublication(d, applyOpts());
    expect(run.code).toBe(1);
    expect(run.report.outcome.status).toBe('refused');
    expect(await d.snapshot()).toEqual(before);
  });

  it('--full-tables no-column-list publishes the FULL table whole; UPDATE/DELETE still work', async () => {
    const d = await db('broken', 'alter table messages replica identity full');
    const run = await runFixPublication(d, applyOpts({ fullTables: 'no-column-list' }));
    expect(run.code).toBe(0);
    const messages = (await d.snapshot()).tables.find((t) => t.name === 'messages')!;
    expect([messages.replicaIdentity, messages.hasColumnList]).toEqual(['f', false]);
    expect((await statuses(d))['publication.replica-identity']).toBe('pass');
    await writeEveryPublishedTable(d);
  });

  it('--replica-identity default switches the FULL table and lists its columns; undo restores FULL', async () => {
    const d = await db('broken', 'alter table messages replica identity full');
    const before = await d.snapshot();
    const opts = applyOpts({ replicaIdentity: 'default' });
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    const messages = (await d.snapshot()).tables.find((t) => t.name === 'messages')!;
    expect([messages.replicaIdentity, messages.hasColumnList]).toEqual(['d', true]);
    for (const id of PUBLICATION_CHECKS) expect((await statuses(d))[id]).toBe('pass');
    await writeEveryPublishedTable(d);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });

  it('a FOR ALL TABLES publication is re-created with a table list and its options; undo brings FOR ALL TABLES back', async () => {
    const d = await db('broken', `drop publication supabase_realtime; create publication supabase_realtime for all tables with (publish = 'insert, update, delete')`);
    const before = await d.snapshot();
    const opts = applyOpts();
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    expect(run.report.plan.steps[0]!.sql[0]).toBe('DROP PUBLICATION "supabase_realtime"');
    const pub = (await d.snapshot()).publication!;
    expect([pub.allTables, pub.insert, pub.update, pub.delete, pub.truncate]).toEqual([false, true, true, true, false]);
    await writeEveryPublishedTable(d);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });

  it('refuses a publication of whole schemas (FOR TABLES IN SCHEMA) and changes nothing', async () => {
    const d = await db('broken', 'drop publication supabase_realtime; create publication supabase_realtime for tables in schema public');
    const before = await d.snapshot();
    const run = await runFixPublication(d, applyOpts());
    expect([run.code, run.report.outcome.status]).toEqual([1, 'refused']);
    expect(run.report.plan.refusals[0]!.detail).toContain('FOR TABLES IN SCHEMA');
    expect(await d.snapshot()).toEqual(before);
  });

  it('creates the publication when it is missing', async () => {
    const d = await db('broken', 'drop publication supabase_realtime');
    const before = await d.snapshot();
    const opts = applyOpts();
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    for (const id of PUBLICATION_CHECKS) expect((await statuses(d))[id]).toBe('pass');
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.snapshot()).toEqual(before);
  });

  it('keeps a non-scalar replica identity column in the list and says so; never touches the broadcast publication', async () => {
    const d = await db('broken', `
      create table devices (ip inet primary key, label text, meta jsonb);
      alter publication supabase_realtime add table devices;
      create publication supabase_realtime_messages_publication for table messages;`);
    const messagesPub = () => d.query(`select tablename, attnames from pg_publication_tables where pubname = 'supabase_realtime_messages_publication'`);
    const broadcastBefore = await messagesPub();
    const run = await runFixPublication(d, applyOpts());
    expect(run.code).toBe(0);
    expect(run.report.plan.decisions.map((x) => x.object)).toContain('public.devices.ip');
    // Said again on the next run, which has nothing left to change.
    const next = await runFixPublication(d);
    expect([next.report.plan.steps.length, next.report.plan.decisions.map((x) => x.object)]).toEqual([0, ['public.devices.ip']]);
    const devices = (await d.snapshot()).tables.find((t) => t.name === 'devices')!;
    expect(devices.columns.filter((c) => c.published).map((c) => c.name)).toEqual(['ip', 'label']);
    expect((await statuses(d))['publication.replica-identity']).toBe('pass');
    await writeEveryPublishedTable(d);
    expect(await messagesPub()).toEqual(broadcastBefore);
  });

  it('gives up within --lock-timeout while another session locks conversations, naming it, with nothing changed', async () => {
    const d = await db();
    const before = await d.snapshot();
    const locker = new pg.Client({ connectionString: d.url });
    await locker.connect();
    try {
      await locker.query('begin; lock table conversations in access exclusive mode');
      const pid = (await locker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const run = await runFixPublication(d, applyOpts({ lockTimeout: '300ms' }));
      expect(run.code).toBe(1);
      expect(run.report.outcome.status).toBe('lock-timeout');
      expect((run.report.outcome as { holders: { pid: number }[] }).holders.map((h) => h.pid)).toContain(pid);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect(await d.snapshot()).toEqual(before);
  });
});
