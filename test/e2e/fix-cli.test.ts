import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campfire, spawnCampfire, waitForStderr } from '../support/cli.js';
import { databasesPerTest, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';

const perTest = databasesPerTest();
const db = (state: 'broken' | 'healthy' = 'broken') => perTest(undefined, state);

/** The catalog without the database's own name, to compare two databases. */
async function catalog(d: TestDb) {
  const { database: _name, ...rest } = await d.snapshot();
  return rest;
}

/** The server notices a killed client's socket and aborts its transaction; wait until its backend is gone. */
async function backendsGone(d: TestDb): Promise<void> {
  for (;;) {
    const rows = await d.query(`select 1 from pg_stat_activity where datname = $1 and application_name = 'campfire'`, [d.name]);
    if (!rows.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('campfire fix-* (the built CLI)', () => {
  it('usage errors exit 2 with one line and change nothing', async () => {
    const d = await db();
    const before = await d.snapshot();
    const cases: string[][] = [
      ['fix-publication', '--db-url', d.url, '--apply'],
      ['fix-permissions', '--db-url', d.url, '--lock-timeout', 'soon'],
      ['fix-publication', '--db-url', d.url, '--full-tables', 'sometimes'],
      ['fix-publication', '--db-url', d.url, '--replica-identity', 'default', '--full-tables', 'no-column-list'],
      ['fix-permissions', '--db-url', d.url, '--policy-mode', 'strict'],
      ['fix-permissions', '--db-url', 'postgres://postgres:hunter2secret@127.0.0.1:1/x', '--connect-timeout', '2s'],
    ];
    for (const args of cases) {
      const r = await campfire(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('hunter2secret');
    }
    expect((await campfire(['fix-publication', '--db-url', d.url, '--apply'])).stderr).toContain('needs --yes');
    expect(await d.snapshot()).toEqual(before);
  });

  it('refuses to touch supabase_realtime_messages_publication (exit 2)', async () => {
    const d = await db();
    const dir = tempDir();
    const cfg = path.join(dir, 'campfire.config.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(cfg, JSON.stringify({ publication: 'supabase_realtime_messages_publication' })));
    const r = await campfire(['fix-publication', '--db-url', d.url, '--config', cfg]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('never changes it');
  });

  it('--json prints one document; apply then a second apply (nothing to do) exit 0; the undo file lands in .campfire/undo', async () => {
    const d = await db();
    const cwd = tempDir();
    const dry = await campfire(['fix-permissions', '--db-url', d.url, '--json'], { cwd });
    expect(dry.exitCode).toBe(0);
    const doc = JSON.parse(dry.stdout);
    expect([doc.command, doc.mode, doc.outcome.status, doc.plan.steps.length]).toEqual(['fix-permissions', 'dry-run', 'planned', 5]);

    const applied = await campfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--json'], { cwd });
    expect(applied.exitCode).toBe(0);
    const a = JSON.parse(applied.stdout);
    expect(a.outcome.status).toBe('applied');
    expect(a.outcome.verification.map((r: { status: string }) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(path.dirname(a.undoFile)).toBe(path.join(cwd, '.campfire', 'undo'));
    expect(path.basename(a.undoFile)).toMatch(/^\d{14}-fix-permissions\.sql$/);

    const again = await campfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes'], { cwd });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect(readdirSync(path.join(cwd, '.campfire', 'undo'))).toHaveLength(1);
  });

  it('two applies at once: one wins, the other says who holds the lock and exits 1', async () => {
    const d = await db();
    const first = spawnCampfire(['fix-publication', '--db-url', d.url, '--apply', '--yes', '--undo-file', path.join(tempDir(), 'u.sql')], {
      env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' },
    });
    await waitForStderr(first, 'test pause before COMMIT');
    const second = await campfire(['fix-publication', '--db-url', d.url, '--apply', '--yes', '--json']);
    expect(second.exitCode).toBe(1);
    const doc = JSON.parse(second.stdout);
    expect(doc.outcome.status).toBe('busy');
    expect(doc.outcome.holders[0].application).toBe('campfire');
    expect(doc.outcome.message).toContain(`pid ${doc.outcome.holders[0].pid}`);
    first.kill('SIGUSR2');
    expect((await first).exitCode).toBe(0);
    expect((await d.snapshot()).tables.find((t) => t.name === 'realtime_conversations')!.published).toBe(true);
  });

  it('kill -9 in the middle of an apply leaves the catalog exactly as it was', async () => {
    const d = await db();
    const before = await d.snapshot();
    const sub = spawnCampfire(['fix-permissions', '--db-url', d.url, '--apply', '--yes', '--undo-file', path.join(tempDir(), 'u.sql')], {
      env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' },
    });
    await waitForStderr(sub, 'test pause before COMMIT');
    sub.kill('SIGKILL');
    expect((await sub).signal).toBe('SIGKILL');
    await backendsGone(d);
    expect(await d.snapshot()).toEqual(before);
  });

  it('a generated migration applied to a fresh broken database gives the same catalog as apply', async () => {
    const applied = await db();
    const fresh = await db();
    const migrations = tempDir();
    for (const command of ['fix-publication', 'fix-permissions']) {
      const written = await campfire([command, '--db-url', fresh.url, '--write-migration', migrations, '--json']);
      expect(written.exitCode).toBe(0);
      expect(path.basename(JSON.parse(written.stdout).migrationFile)).toMatch(new RegExp(`^\\d{14}_campfire_${command.replace('-', '_')}\\.sql$`));
      expect((await campfire([command, '--db-url', applied.url, '--apply', '--yes', '--undo-file', path.join(tempDir(), 'u.sql')])).exitCode).toBe(0);
    }
    const files = readdirSync(migrations).sort();
    expect(files).toHaveLength(2);
    for (const f of files) await fresh.query(readFileSync(path.join(migrations, f), 'utf8'));
    expect(await catalog(fresh)).toEqual(await catalog(applied));
  });

  it('healthy database: both fixes have nothing to do', async () => {
    const d = await db('healthy');
    for (const command of ['fix-publication', 'fix-permissions']) {
      const r = await campfire([command, '--db-url', d.url, '--apply', '--yes', '--json']);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).outcome.status).toBe('nothing-to-do');
    }
  });
});
