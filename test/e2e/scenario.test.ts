import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureApp, type FixtureApp } from '../support/app.js';
import { createDatabase, type TestDb } from '../support/db.js';

const ORG = '11111111-2222-4333-8444-555555555555';

/** The repairs fix-permissions and fix-publication make, as plain SQL until those commands land. */
const REPAIR_SQL = `
grant select, insert, update on conversations, messages, realtime_conversations to anon, authenticated, service_role;
create policy realtime_conv_insert on realtime_conversations for insert to anon, authenticated with check (organization_id is not null);
create policy realtime_conv_update on realtime_conversations for update to anon, authenticated
  using (organization_id is not null) with check (organization_id is not null);
alter function sync_realtime_conversations() security definer set search_path = public, pg_temp;
alter table messages enable row level security;
create policy messages_select_org on messages for select to anon, authenticated
  using (organization_id::text = current_setting('app.current_organization_id', true));
create policy messages_insert on messages for insert to anon, authenticated with check (organization_id is not null);
alter publication supabase_realtime set table
  conversations (id, organization_id, customer_name, customer_email, created_at, updated_at),
  messages (id, conversation_id, organization_id, content, sender_type, sender_name, sender_email, created_at),
  realtime_conversations;
`;

interface JsonReport {
  exitCode: number;
  checks: { id: string; status: string; summary: string; findings: { object: string; detail: string }[] }[];
}

describe('scenario: the guide\'s broken Campfire, diagnosed, repaired, verified', () => {
  let db: TestDb;
  let dir: string;
  let logFile: string;
  let app: FixtureApp | undefined;

  beforeAll(async () => {
    db = await createDatabase('broken');
    dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-scenario-'));
    logFile = path.join(dir, 'server.log');
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const doctor = async (...extra: string[]) => {
    const r = await execa(process.execPath, ['bin/campfire.js', 'doctor', '--db-url', db.url, '--log', logFile, '--app-url', app!.url, '--org-id', ORG, '--json', ...extra], { reject: false, env: { NO_COLOR: '1' } });
    const report = JSON.parse(r.stdout) as JsonReport;
    return { exitCode: r.exitCode, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])), stderr: r.stderr };
  };

  it('before: doctor shows every symptom and exits 1', async () => {
    app = await startFixtureApp({ databaseUrl: db.url, logFile, mismatch: true });
    const { exitCode, byId } = await doctor();
    expect(exitCode).toBe(1);
    expect(byId['http.widget-auth']!.status).toBe('fail');
    expect(byId['http.widget-auth']!.summary).toContain('HTTP 500');
    expect(byId['http.widget-auth']!.summary).toContain('permission denied for table realtime_conversations');
    expect(byId['http.widget-messages']!.status).toBe('skip');
    expect(byId['policies.realtime-conversations']!.status).toBe('fail');
    expect(byId['publication.scalar-columns']!.status).toBe('fail');
    expect(byId['logs.binding-mismatch']!.status).toBe('fail');
    expect(byId['logs.broadcast-success']!.status).toBe('fail');
    expect(byId['logs.broadcast-latency']!.status).toBe('skip');
    // The failed auth wrote nothing: the whole transaction rolled back.
    expect(await db.query('select count(*)::int as n from conversations')).toEqual([{ n: 0 }]);
  });

  it('after: repaired database and restarted app, doctor --since is green and the probes wrote marked rows', async () => {
    await app!.stop();
    await db.query(REPAIR_SQL);
    // The deploy time: every line of the broken run was written before it (the app has exited).
    const since = new Date().toISOString();
    app = await startFixtureApp({ databaseUrl: db.url, logFile, mismatch: false });
    const { exitCode, byId } = await doctor('--since', since, '--samples', '3');
    const statuses = Object.fromEntries(Object.entries(byId).map(([id, c]) => [id, c.status]));
    expect(statuses).toMatchObject({
      'http.widget-auth': 'pass',
      'http.widget-messages': 'pass',
      'logs.binding-mismatch': 'pass',
      'logs.broadcast-success': 'pass',
      'logs.broadcast-latency': 'pass',
      'policies.realtime-conversations': 'pass',
      'publication.scalar-columns': 'pass',
      'functions.security-definer': 'pass',
    });
    expect(exitCode).toBe(0);
    const conversationId = /conversationId (\S+)/.exec(byId['http.widget-auth']!.summary)![1];
    const rows = await db.query<{ id: string; customer_name: string; customer_email: string; messages: number }>(
      `select c.id, c.customer_name, c.customer_email, (select count(*)::int from messages m where m.conversation_id = c.id) as messages
         from conversations c`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(conversationId);
    expect(rows[0]!.customer_name).toMatch(/^campfire-doctor-/);
    expect(rows[0]!.customer_email).toMatch(/@campfire-doctor\.invalid$/);
    expect(rows[0]!.messages).toBe(3);
    // 3 messages × the guide's 3 channels, all logged after --since.
    expect(byId['logs.broadcast-success']!.summary).toMatch(/^9 "Broadcast successful" lines/);
    expect(await db.query('select count(*)::int as n from realtime_conversations')).toEqual([{ n: 1 }]);
  });
});
