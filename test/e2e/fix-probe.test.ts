import { afterEach, describe, expect, it } from 'vitest';
import { campfire } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';
import { databaseState } from '../probe/state.js';

const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

describe('fix-permissions --apply refuses what the behavioural probe catches (the built CLI)', () => {
  // Issue 12 harm 5: messages has RLS off; granting anon the guide's INSERT/UPDATE there would let every
  // visitor write every organization's messages. The probe sees it before COMMIT whatever the planner thinks.
  const setup = 'revoke all on messages from anon, authenticated';

  it('--json: exit 1, status verification-failed, the violation names role, statement and what became possible; nothing changed', async () => {
    const d = await createDatabase('broken', setup);
    dbs.push(d);
    const before = await databaseState(d.url);
    const dir = tempDir();
    const r = await campfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--json'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { exitCode: number; undoFile: string | null; outcome: { status: string; message: string; probe?: { before: unknown; after: unknown; violations: { rule: string; role: string; statement: string; table: string }[] } } };
    expect(r.exitCode).toBe(1);
    expect(doc.undoFile).toBeNull();
    expect(await databaseState(d.url)).toEqual(before);
    // When the planner itself refuses this (issue 12 harm 5, being fixed in src/fixes/permissions.ts), the
    // outcome is "refused" before any step; until then the probe is what stops it. The probe as a backstop
    // on its own is pinned in test/integration/apply-probe.test.ts with hand-made plans.
    expect(['verification-failed', 'refused']).toContain(doc.outcome.status);
    if (doc.outcome.status === 'verification-failed') {
      // Today's planner grants anon INSERT on messages with RLS off (rule c: newly possible without RLS); a
      // planner that also enables RLS there without a policy breaks the widget's message insert (rule a).
      const v = doc.outcome.probe!.violations.find((x) => x.role === 'anon' && x.table === 'public.messages');
      expect(v?.statement).toMatch(/^insert into "public"\."messages"/);
      expect(doc.outcome.message).toMatch(/^behavioural verification failed: .*anon: insert into "public"\."messages"/);
    }
  });

  it('a successful apply shows what the probe saw before and after (human and --json)', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const r = await campfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes'], { cwd: tempDir(), env: { NO_COLOR: '1' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Behaviour (probed as anon, authenticated');
    expect(r.stdout).toContain('✓ anon insert-conversation public.conversations: 42501 permission denied for table realtime_conversations → allowed');
    const again = await campfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--json'], { cwd: tempDir() });
    // nothing left to do: no probe is needed, none is reported
    expect(JSON.parse(again.stdout).outcome.status).toBe('nothing-to-do');
  });
});
