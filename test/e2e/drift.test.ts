import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { campfire } from '../support/cli.js';
import type { TestDb } from '../support/db.js';
import { databaseFromFolder, databaseVerdicts, guideFolder, tempDir } from '../support/migrations.js';
import { seededRandom } from '../support/random.js';

// campfire drift (issue 17): the live database against the shadow built from the migrations.
const root = tempDir('drift');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const shadowUrl = () => inject('adminUrl');
const DATABASE_IDS = CHECKS.filter((c) => c.input === 'database').map((c) => c.id);

async function drift(db: TestDb, dir: string, ...more: string[]) {
  const r = await campfire(['drift', '--db-url', db.url, '--migrations', dir, '--shadow-url', shadowUrl(), ...more], { env: { NO_COLOR: '1' } });
  return { ...r, doc: more.includes('--json') && r.stdout ? JSON.parse(r.stdout) : undefined };
}

/** Each a change made live, outside the migrations (what the guide's SQL-editor fixes do), and a word drift must print. */
const LIVE_CHANGES: { sql: string; reported: string }[] = [
  { sql: 'create policy realtime_conv_extra on realtime_conversations for insert to anon with check (true)', reported: 'policy realtime_conv_extra on public.realtime_conversations: live only' },
  { sql: 'alter publication supabase_realtime drop table messages', reported: 'table public.messages in publication supabase_realtime: not published live' },
  { sql: 'alter function sync_realtime_conversations() security invoker', reported: 'function public.sync_realtime_conversations(): live has SECURITY INVOKER' },
  { sql: 'drop policy messages_insert on messages', reported: 'policy messages_insert on public.messages: migrations only' },
  { sql: "alter policy conversations_select_org on conversations using (organization_id is not null)", reported: 'policy conversations_select_org on public.conversations: live has' },
  { sql: 'revoke update on realtime_conversations from authenticated', reported: 'privileges of authenticated on public.realtime_conversations' },
  { sql: 'alter table messages disable row level security', reported: 'table public.messages: live has row level security disabled' },
  { sql: 'alter table conversations replica identity full', reported: 'replica identity of public.conversations: live has FULL' },
  { sql: 'alter table conversations disable trigger sync_realtime_conversations_trigger', reported: 'trigger sync_realtime_conversations_trigger on public.conversations: live has disabled' },
  { sql: 'alter function sync_realtime_conversations() reset search_path', reported: 'search_path not set' },
  { sql: "alter publication supabase_realtime set (publish = 'insert, update')", reported: 'publication supabase_realtime: live has publish insert, update' },
  { sql: 'create function audit_writer() returns void language sql security definer set search_path = public as $$ select 1 $$', reported: 'function public.audit_writer(): live only' },
  // Private channels: who may join is a policy on realtime.messages, made in the dashboard.
  { sql: "create policy org_members_receive on realtime.messages for select to authenticated using (realtime.topic() like 'org:%')", reported: 'policy org_members_receive on realtime.messages: live only' },
  // A SECURITY DEFINER function of the migrations made INVOKER live: still there, not "removed".
  { sql: 'alter function is_org_member(uuid) security invoker', reported: 'function public.is_org_member(org uuid): live has SECURITY INVOKER, search_path = public, pg_temp; the migrations have SECURITY DEFINER' },
];

describe('campfire drift', () => {
  it('no drift: the live database built from the same files (exit 0)', { timeout: 60_000 }, async () => {
    const dir = guideFolder(root, 'healthy');
    const db = await databaseFromFolder(dir);
    try {
      const r = await drift(db, dir);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('No drift: the live database matches the migrations in everything the checks read.');
      const j = await drift(db, dir, '--json');
      expect(j.doc).toMatchObject({ tool: 'campfire', command: 'drift', differences: [], exitCode: 0 });
    } finally {
      await db.drop();
    }
  });

  it('the same policy written differently (case, parentheses, layout, role order) is not drift', { timeout: 60_000 }, async () => {
    const dir = guideFolder(path.join(root, 'fmt'), 'healthy');
    writeFileSync(path.join(dir, '20240104000000_scoped.sql'),
      "CREATE POLICY scoped ON public.messages AS PERMISSIVE FOR UPDATE TO anon, authenticated\n  USING ( ( organization_id IS NOT NULL ) AND sender_type = 'visitor' );\n");
    const db = await databaseFromFolder(dir);
    try {
      await db.query("drop policy scoped on messages; create policy scoped on messages for update to authenticated, anon using (organization_id is not null and (sender_type = 'visitor'::text))");
      const r = await drift(db, dir);
      expect(r.stdout).toContain('No drift');
      expect(r.exitCode).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('a policy added live, a table removed from the publication live, a function made SECURITY INVOKER live: each with its side (exit 1)', { timeout: 60_000 }, async () => {
    const dir = guideFolder(root, 'healthy');
    const db = await databaseFromFolder(dir);
    try {
      await db.query(LIVE_CHANGES.slice(0, 3).map((c) => c.sql).join(';\n'));
      const r = await drift(db, dir);
      expect(r.exitCode).toBe(1);
      const lines = r.stdout.split('\n').filter((l) => l.startsWith('  ✗ ')).map((l) => l.slice(4));
      expect(lines).toEqual([
        'table public.messages in publication supabase_realtime: not published live (live: not published; migrations: published (id, conversation_id, organization_id, content, sender_type, sender_name, sender_email, created_at))',
        'policy realtime_conv_extra on public.realtime_conversations: live only — created outside the migrations (live: PERMISSIVE FOR INSERT TO anon WITH CHECK (true))',
        'function public.sync_realtime_conversations(): live has SECURITY INVOKER, search_path = public, pg_temp; the migrations have SECURITY DEFINER, search_path = public, pg_temp',
      ]);
      const j = await drift(db, dir, '--json');
      expect(j.exitCode).toBe(1);
      expect(j.doc.differences.map((d: { kind: string }) => d.kind)).toEqual(['publication-table', 'policy', 'function']);
      expect(j.doc.differences[1]).toMatchObject({ live: 'PERMISSIVE FOR INSERT TO anon WITH CHECK (true)', migrations: null });
    } finally {
      await db.drop();
    }
  });

  it('--write-migration: the written migration, applied after the others, leaves no drift (seeded sets of live changes)', { timeout: 240_000 }, async () => {
    const seeds = process.env.CAMPFIRE_LONG_PROPERTY ? 40 : 3;
    for (let seed = 1; seed <= seeds; seed++) {
      const rnd = seededRandom(seed);
      // Seed 1 makes every change at once; the others a random subset.
      const changes = seed === 1 ? LIVE_CHANGES : LIVE_CHANGES.filter(() => rnd() < 0.4);
      const dir = guideFolder(path.join(root, `w${seed}`), 'healthy');
      const db = await databaseFromFolder(dir);
      try {
        if (changes.length) await db.query(changes.map((c) => c.sql).join(';\n'));
        const r = await drift(db, dir, '--write-migration', dir);
        expect(r.exitCode, `seed ${seed}: ${r.stderr}`).toBe(changes.length ? 1 : 0);
        for (const c of changes) expect(r.stdout, `seed ${seed}`).toContain(c.reported);
        const written = readdirSync(dir).filter((f) => f.endsWith('_campfire_drift.sql'));
        expect(written, `seed ${seed}`).toHaveLength(changes.length ? 1 : 0);
        if (!changes.length) continue;
        expect(readFileSync(path.join(dir, written[0]!), 'utf8')).toMatch(/^-- Supabase migration generated from the plan campfire computed/);
        const again = await drift(db, dir);
        expect(again.exitCode, `seed ${seed}: still drifting:\n${again.stdout}${again.stderr}`).toBe(0);
        // ...and the checks now say about the migrations what they say about live.
        const live = await campfire(['doctor', '--json', '--db-url', db.url], { env: { NO_COLOR: '1' } });
        const shadow = await campfire(['doctor', '--json', '--migrations', dir, '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1' } });
        expect(databaseVerdicts(JSON.parse(shadow.stdout), DATABASE_IDS), `seed ${seed}`).toEqual(databaseVerdicts(JSON.parse(live.stdout), DATABASE_IDS));
      } finally {
        await db.drop();
      }
    }
  });

  it('in GitHub Actions: one ::error annotation per difference and a step summary', { timeout: 60_000 }, async () => {
    const dir = guideFolder(path.join(root, 'gh'), 'healthy');
    const db = await databaseFromFolder(dir);
    const summary = path.join(root, 'drift-summary.md');
    try {
      await db.query(LIVE_CHANGES[0]!.sql);
      const r = await campfire(['drift', '--db-url', db.url, '--migrations', dir, '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
      expect(r.exitCode).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('::error title=campfire drift::'))).toEqual([
        '::error title=campfire drift::policy realtime_conv_extra on public.realtime_conversations: live only — created outside the migrations (live: PERMISSIVE FOR INSERT TO anon WITH CHECK (true))',
      ]);
      expect(readFileSync(summary, 'utf8')).toContain('### campfire drift\n\n- policy realtime_conv_extra on public.realtime_conversations: live only');
    } finally {
      await db.drop();
    }
  });

  it('could not run: exit 2, one line', async () => {
    const noMigrations = await campfire(['drift', '--db-url', 'postgres://x@127.0.0.1:1/x'], { env: { NO_COLOR: '1' } });
    expect(noMigrations.exitCode).toBe(2);
    expect(noMigrations.stderr.trim()).toBe('error: campfire drift needs --migrations DIR (usually supabase/migrations).');
    const noDb = await campfire(['drift', '--migrations', 'fixtures/migrations/failing'], { env: { NO_COLOR: '1' } });
    expect(noDb.exitCode).toBe(2);
    expect(noDb.stderr.trim()).toBe('error: campfire drift needs the live database: --db-url postgres://… (or DATABASE_URL).');
  });
});
