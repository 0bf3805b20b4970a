import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicationReplicaIdentity } from '../../src/checks/database/publication-replica-identity.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { fullCatalog } from '../support/catalog.js';
import { databasesPerTest } from '../support/db.js';
import { applyOpts, runFixPublication, statuses } from '../support/fix.js';

// Replica identity as Postgres uses it, and an undo that restores everything: each case builds the state,
// runs fix-publication (and doctor's verdict), then performs the UPDATE that must keep working.
const db = databasesPerTest('broken');

const ORG = '11111111-1111-1111-1111-111111111111';
const seedMessage = `insert into conversations (id, organization_id) values ('${ORG}', '${ORG}');
  insert into messages (id, conversation_id, organization_id, content, sender_type) values ('${ORG}', '${ORG}', '${ORG}', 'hi', 'visitor');`;
const updateMessage = `update messages set content = 'edited' where id = '${ORG}'`;

describe('fix-publication and publication.replica-identity judge replica identity as Postgres does', () => {
  it('a DEFERRABLE primary key is no replica identity: doctor fails the published table, and fix-publication does not publish it', async () => {
    const d = await db(`alter table messages drop constraint messages_pkey, add constraint messages_pkey primary key (id) deferrable; ${seedMessage}`);
    // Published whole, as the broken fixture has it: Postgres refuses the UPDATE, and doctor says so.
    await expect(d.query(updateMessage)).rejects.toThrow(/does not have a replica identity/);
    expect((await statuses(d))['publication.replica-identity']).toBe('fail');

    await d.query(`alter publication supabase_realtime drop table messages`);
    await d.query(updateMessage);
    // Any published table, not only the guide's: doctor names it.
    await d.query(`create table audit_log (id int primary key deferrable, note text); alter publication supabase_realtime add table audit_log`);
    const snap = await d.snapshot();
    const verdict = publicationReplicaIdentity.judge(snap, DEFAULT_CONFIG);
    expect(verdict.findings!.map((f) => f.object)).toEqual(['public.audit_log']);
    expect(verdict.findings![0]!.detail).toMatch(/DEFERRABLE/);
    await d.query(`alter publication supabase_realtime drop table audit_log`);
    const run = await runFixPublication(d, applyOpts());
    expect([run.code, run.report.outcome.status]).toEqual([0, 'applied']);
    expect(run.report.plan.decisions.find((x) => x.object === 'public.messages')!.detail).toMatch(/not added.*DEFERRABLE/);
    expect((await d.snapshot()).tables.find((t) => t.name === 'messages')?.published ?? false).toBe(false);
    await d.query(updateMessage);
  });

  it('a row filter on a column outside the replica identity breaks UPDATE: doctor fails it, fix-publication leaves it as a decision', async () => {
    const d = await db(seedMessage);
    await d.query(`alter publication supabase_realtime set table conversations, messages where (sender_type <> 'system')`);
    await expect(d.query(updateMessage)).rejects.toThrow(/cannot update table "messages"/);
    expect((await statuses(d))['publication.replica-identity']).toBe('fail');
    const run = await runFixPublication(d);
    expect(run.report.plan.decisions.find((x) => x.object === 'public.messages')!.detail).toMatch(/already broken: row filter uses sender_type/);
  });

  it('a partition with REPLICA IDENTITY FULL under publish_via_partition_root: the plan refuses a column list and changes nothing', async () => {
    const d = await db(`drop table messages;
      create table messages (id uuid not null default gen_random_uuid(), conversation_id uuid not null, organization_id uuid not null,
        content text not null, sender_type text not null, attachments jsonb not null default '[]', created_at timestamptz not null default now(),
        primary key (id, created_at)) partition by range (created_at);
      create table messages_all partition of messages for values from (minvalue) to (maxvalue);
      alter table messages_all replica identity full;
      alter publication supabase_realtime set (publish_via_partition_root = true);
      alter publication supabase_realtime add table messages;
      ${seedMessage}`);
    await d.query(updateMessage);
    const before = await fullCatalog(d);
    const run = await runFixPublication(d, applyOpts());
    expect([run.code, run.report.outcome.status]).toEqual([1, 'refused']);
    expect(run.report.plan.refusals.map((r) => r.detail).join(' ')).toMatch(/partition has REPLICA IDENTITY FULL/);
    expect(await fullCatalog(d)).toEqual(before);
    await d.query(updateMessage);

    // The way out it names works: published whole, UPDATE still works.
    const whole = await runFixPublication(d, applyOpts({ fullTables: 'no-column-list' }));
    expect(whole.code).toBe(0);
    await d.query(updateMessage);
    expect((await statuses(d))['publication.replica-identity']).toBe('pass');

    // Doctor sees a partition's own identity: NOTHING on the partition fails even though the root has a key.
    await d.query(`alter table messages_all replica identity nothing`);
    await expect(d.query(updateMessage)).rejects.toThrow(/replica identity/);
    expect((await statuses(d))['publication.replica-identity']).toBe('fail');
  });

  it('a FOR ALL TABLES publication re-created and undone keeps its comment (and owner): the catalog is identical', async () => {
    const d = await db(`drop publication supabase_realtime; create publication supabase_realtime for all tables with (publish = 'insert, update, delete');
      comment on publication supabase_realtime is 'realtime: keep me';`);
    const comment = `select obj_description(oid, 'pg_publication') as c from pg_publication where pubname = 'supabase_realtime'`;
    const before = await fullCatalog(d);
    const opts = applyOpts();
    const run = await runFixPublication(d, opts);
    expect(run.code).toBe(0);
    expect(await d.query(comment)).toEqual([{ c: 'realtime: keep me' }]);
    await d.query(readFileSync(opts.undoFile as string, 'utf8'));
    expect(await d.query(comment)).toEqual([{ c: 'realtime: keep me' }]);
    expect(await fullCatalog(d)).toEqual(before);
  });
});
