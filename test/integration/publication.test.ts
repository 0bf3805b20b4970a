import { describe, expect, it } from 'vitest';
import { judgeState, objects } from '../support/judge.js';

describe('publication.exists', () => {
  it('fails when the publication is missing, and the checks that need it skip', async () => {
    const r = await judgeState('healthy', 'drop publication supabase_realtime');
    expect(r['publication.exists']!.status).toBe('fail');
    expect(r['publication.tables']!.status).toBe('fail');
    expect(r['publication.scalar-columns']!.status).toBe('skip');
    expect(r['publication.replica-identity']!.status).toBe('skip');
  });
});

describe('publication.tables', () => {
  it('names each guide table missing from the publication', async () => {
    const r = await judgeState('healthy', 'alter publication supabase_realtime drop table realtime_conversations');
    expect(r['publication.tables']!.status).toBe('fail');
    expect(objects(r['publication.tables'])).toEqual(['public.realtime_conversations']);
  });

  it('passes with a FOR ALL TABLES publication', async () => {
    const r = await judgeState('schema', 'drop publication supabase_realtime; create publication supabase_realtime for all tables');
    expect(r['publication.tables']!.status).toBe('pass');
    // FOR ALL TABLES publishes every column of conversations, JSONB and all.
    expect(r['publication.scalar-columns']!.status).toBe('fail');
    expect(objects(r['publication.scalar-columns'])).toContain('public.conversations.metadata');
  });

  it('passes with FOR TABLES IN SCHEMA', async () => {
    const r = await judgeState('schema', 'drop publication supabase_realtime; create publication supabase_realtime for tables in schema public');
    expect(r['publication.tables']!.status).toBe('pass');
  });
});

describe('publication.scalar-columns', () => {
  it("fails on each of the guide's complex types, naming column and type", async () => {
    const r = await judgeState('broken', '');
    const findings = Object.fromEntries(r['publication.scalar-columns']!.findings.map((f) => [f.object, f.detail]));
    expect(findings).toEqual({
      'public.conversations.customer': 'jsonb',
      'public.conversations.customer_ip': 'inet',
      'public.conversations.status': 'conversation_status (enum)',
      'public.conversations.priority': 'conversation_priority (enum)',
      'public.conversations.tags': 'text[] (array)',
      'public.conversations.assignment_metadata': 'jsonb',
      'public.conversations.metadata': 'jsonb',
      'public.messages.ai_metadata': 'jsonb',
      'public.messages.attachments': 'jsonb',
    });
    expect(r['publication.scalar-columns']!.advice).toMatch(/postgres_changes: \[\]/);
    // The verdict is the guide's checklist item, and the words never claim the columns cause the error.
    expect(r['publication.scalar-columns']!.summary).toMatch(/not the guide's scalar-only publication \(not the cause of the mismatch error/);
    expect(r['publication.scalar-columns']!.advice).toMatch(/^Why this fails: the guide's checklist asks for a scalar-only publication/);
  });

  it('resolves domains, and rejects arrays of enums, composites and ranges', async () => {
    const r = await judgeState(
      'healthy',
      `create domain payload as jsonb;
       create domain short_text as text check (length(value) < 100);
       create domain nested_payload as payload;
       create type address as (street text, city text);
       create table edge (
         id bigint primary key, note short_text, body payload, deep nested_payload,
         moods conversation_status[], home address, during tstzrange, ok_numbers int[]);
       alter publication supabase_realtime add table edge`,
    );
    const findings = Object.fromEntries(r['publication.scalar-columns']!.findings.map((f) => [f.object, f.detail]));
    expect(findings).toEqual({
      'public.edge.body': 'payload (domain over jsonb)',
      'public.edge.deep': 'nested_payload (domain over jsonb)',
      'public.edge.moods': 'conversation_status[] (array)',
      'public.edge.home': 'address (composite)',
      'public.edge.during': 'tstzrange (range)',
      'public.edge.ok_numbers': 'integer[] (array)',
    });
  });

  it('only judges the columns in a column list', async () => {
    const r = await judgeState('healthy', '');
    expect(r['publication.scalar-columns']!.status).toBe('pass');
  });

  it('extends the allowlist from config', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/config.js');
    const r = await judgeState('broken', '', { ...DEFAULT_CONFIG, scalarTypes: ['jsonb', 'inet'] });
    expect(objects(r['publication.scalar-columns']).some((o) => o.endsWith('.metadata') || o.endsWith('.customer_ip'))).toBe(false);
  });
});

describe('publication.replica-identity', () => {
  it('fails on REPLICA IDENTITY FULL with a column list, and UPDATE really fails', async () => {
    const { createDatabase } = await import('../support/db.js');
    const db = await createDatabase('healthy', 'alter table conversations replica identity full');
    try {
      const { judgeDb } = await import('../support/judge.js');
      const r = await judgeDb(db);
      expect(r['publication.replica-identity']!.status).toBe('fail');
      expect(r['publication.replica-identity']!.findings[0]).toMatchObject({ object: 'public.conversations', detail: expect.stringMatching(/FULL/) });
      await db.query(`insert into conversations (organization_id) values (gen_random_uuid())`);
      await expect(db.query(`update conversations set customer_name = 'x'`)).rejects.toThrow(/cannot update table "conversations"/);
    } finally {
      await db.drop();
    }
  });

  it('fails when the column list omits the primary key', async () => {
    const r = await judgeState('healthy', 'alter publication supabase_realtime set table conversations (organization_id, customer_name), messages (id), realtime_conversations');
    expect(r['publication.replica-identity']!.findings).toEqual([
      { object: 'public.conversations', detail: expect.stringMatching(/omits primary key column id/) },
    ]);
  });

  it('fails on a published table without a primary key, passes when nothing needs an identity', async () => {
    const sql = 'create table audit (at timestamptz, what text); alter publication supabase_realtime add table audit';
    const r = await judgeState('healthy', sql);
    expect(objects(r['publication.replica-identity'])).toEqual(['public.audit']);
    const inserts = await judgeState('healthy', `${sql}; alter publication supabase_realtime set (publish = 'insert')`);
    expect(inserts['publication.replica-identity']!.status).toBe('pass');
  });

  it('accepts a replica identity index that the column list covers', async () => {
    const r = await judgeState(
      'healthy',
      `create table keyed (code text not null, label text, extra jsonb);
       create unique index keyed_code on keyed (code);
       alter table keyed replica identity using index keyed_code;
       alter publication supabase_realtime add table keyed (code, label)`,
    );
    expect(r['publication.replica-identity']!.status).toBe('pass');
  });
});
