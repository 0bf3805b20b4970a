import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campfire, ROOT } from '../support/cli.js';
import { databasesPerTest } from '../support/db.js';
import { tempDir } from '../support/fix.js';

const db = databasesPerTest('broken');

function config(doc: unknown): string {
  const file = path.join(tempDir(), 'campfire.config.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('campfire fix-* refuse bad targets and reach a green gate (the built CLI)', () => {
  it('broken fixture → fix-publication → fix-permissions → the one decision → doctor --fail-on warn exits 0; the fix line names the decision until then', async () => {
    const d = await db();
    const undo = tempDir();
    for (const cmd of ['fix-publication', 'fix-permissions']) {
      const r = await campfire([cmd, '--db-url', d.url, '--apply', '--yes', '--undo-file', path.join(undo, `${cmd}.sql`)]);
      expect([cmd, r.exitCode]).toEqual([cmd, 0]);
    }
    const before = await campfire(['doctor', '--db-url', d.url, '--fail-on', 'warn', '--json']);
    expect(before.exitCode).toBe(1);
    const results = JSON.parse(before.stdout).checks as { id: string; status: string; fix: string | null }[];
    const rls = results.find((r) => r.id === 'permissions.rls-enabled')!;
    expect(rls.status).toBe('fail');
    // Not "campfire fix-permissions", which would answer "nothing to do": the decision and its SQL.
    expect(rls.fix).toMatch(/^your decision.*public\.messages.*CREATE POLICY.*ENABLE ROW LEVEL SECURITY/);
    // performance.foreign-key-indexes warns on messages.conversation_id: an index is a person's call too
    // (CREATE INDEX CONCURRENTLY cannot run in a fix's transaction); the demo's decision file adds it.
    expect(results.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => r.id).sort()).toEqual(['performance.foreign-key-indexes', 'permissions.policies', 'permissions.rls-enabled']);

    await d.query(readFileSync(path.join(ROOT, 'sql/demo-messages-decision.sql'), 'utf8'));
    const after = await campfire(['doctor', '--db-url', d.url, '--fail-on', 'warn']);
    expect(after.exitCode).toBe(0);
  });

  it('exit 2 with one line, nothing changed: a control character in a configured name, a missing schema or table, a view', async () => {
    const d = await db(`create view messages_view as select * from messages`);
    const before = await d.snapshot();
    const cases: [string[], RegExp][] = [
      [['fix-publication', '--db-url', d.url, '--config', config({ publication: 'supabase_realtime\nDROP TABLE messages CASCADE; --' })], /"publication" contains the control character U\+000A/],
      [['fix-permissions', '--db-url', d.url, '--config', config({ tables: { messages: 'messages\r' } })], /"tables\.messages" contains the control character U\+000D/],
      [['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--config', config({ schema: 'app_nowhere' })], /schema app_nowhere does not exist/],
      [['fix-publication', '--db-url', d.url, '--apply', '--yes', '--config', config({ schema: 'app_nowhere' })], /schema app_nowhere does not exist/],
      [['fix-publication', '--db-url', d.url, '--config', config({ tables: { conversations: 'convos' } })], /public\.convos does not exist/],
      [['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--config', config({ tables: { messages: 'messages_view' } })], /public\.messages_view is a view, not a table/],
    ];
    for (const [args, says] of cases) {
      const r = await campfire(args, { cwd: tempDir() });
      expect([args.join(' '), r.exitCode]).toEqual([args.join(' '), 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(says);
    }
    expect(await d.snapshot()).toEqual(before);
    // doctor says what the name is, rather than judging a view as a table.
    const doctor = await campfire(['doctor', '--db-url', d.url, '--json', '--config', config({ tables: { messages: 'messages_view' } })]);
    const rls = (JSON.parse(doctor.stdout).checks as { id: string; findings: { object: string; detail: string }[] }[]).find((r) => r.id === 'permissions.rls-enabled')!;
    expect(rls.findings.find((f) => f.object === 'public.messages_view')!.detail).toMatch(/is a view, not a table/);
  });
});
