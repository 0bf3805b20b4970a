import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campfireBackendsGone, fullCatalog, type FullCatalog } from '../support/catalog.js';
import { seededRandom } from '../support/random.js';
import { campfire, spawnCampfire, waitForStderr } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';
import type { CatalogSnapshot } from '../../src/db/catalog.js';

/**
 * Drill: kill -9 an apply at a random point inside its transaction (before the advisory lock, before
 * planning, before any step, before verification, or with the undo file written just before COMMIT),
 * then compare the whole catalog with the one taken before: identical every time. One database per
 * command serves every iteration, because a killed apply must leave it unchanged, which each iteration
 * checks before the next one runs. Rerun a failure with CAMPFIRE_DRILL_SEED=<the printed seed>.
 */
const ITERATIONS = 20;
const SEED = Number(process.env.CAMPFIRE_DRILL_SEED ?? Date.now() % 2 ** 31);

interface Baseline {
  db: TestDb;
  snapshot: CatalogSnapshot;
  catalog: FullCatalog;
  points: string[];
}

/**
 * fix-permissions on the broken fixture plans five steps. fix-publication there plans one statement, so
 * its database is made harder: a FOR ALL TABLES publication (dropped and created again) and a REPLICA
 * IDENTITY FULL table switched to DEFAULT, which is two steps and three statements.
 */
const DRILLS = [
  { command: 'fix-permissions', extraSql: undefined, flags: [] },
  {
    command: 'fix-publication',
    extraSql: 'drop publication supabase_realtime; create publication supabase_realtime for all tables; alter table messages replica identity full',
    flags: ['--replica-identity', 'default'],
  },
] as const;

for (const { command, extraSql, flags } of DRILLS) {
  describe(`kill -9 during ${command} --apply`, () => {
    let base: Baseline;
    beforeAll(async () => {
      const db = await createDatabase('broken', extraSql);
      const dry = await campfire([command, '--db-url', db.url, ...flags, '--json']);
      expect(dry.exitCode).toBe(0);
      const steps = (JSON.parse(dry.stdout) as { plan: { steps: { sql: string[] }[] } }).plan.steps;
      // The drill is only worth something when there is more than one statement to be killed between.
      // It also kills inside the behavioural probe's SAVEPOINTs (probe:before, probe:after).
      expect(steps.length).toBeGreaterThan(1);
      const statements = steps.flatMap((s) => s.sql).length;
      const points = [
        'lock', 'plan', 'probe:before',
        ...steps.map((_, i) => `step:${i}`),
        ...Array.from({ length: statements }, (_, i) => `sql:${i}`),
        'verify', 'probe:after', 'commit',
      ];
      base = { db, snapshot: await db.snapshot(), catalog: await fullCatalog(db), points };
    });
    afterAll(async () => base?.db.drop());

    it(`leaves the catalog identical, ${ITERATIONS} times out of ${ITERATIONS} (seed ${SEED})`, async () => {
      const random = seededRandom(SEED + (command === 'fix-publication' ? 1 : 0));
      console.log(`[kill drill] ${command}: seed ${SEED} (rerun with CAMPFIRE_DRILL_SEED=${SEED})`);
      const seen = new Set<string>();
      for (let i = 0; i < ITERATIONS; i++) {
        // Every point once first, then random ones: all points are covered whatever the seed.
        const point = i < base.points.length ? base.points[i]! : base.points[Math.floor(random() * base.points.length)]!;
        seen.add(point);
        const where = `${command}, iteration ${i}, killed at ${point}, seed ${SEED}`;
        const undoFile = path.join(tempDir(), 'undo.sql');
        const env: Record<string, string> =
          point === 'commit' ? { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' } : { CAMPFIRE_TEST_PAUSE_AT: point };
        const sub = spawnCampfire([command, '--db-url', base.db.url, ...flags, '--apply', '--yes', '--undo-file', undoFile], { env });
        await waitForStderr(sub, point === 'commit' ? 'test pause before COMMIT' : `test pause at ${point} `);
        // The kill lands inside the open transaction (not before it began or after it ended).
        const open = await base.db.query(`select 1 from pg_stat_activity where datname = $1 and application_name = 'campfire' and state = 'idle in transaction'`, [base.db.name]);
        expect(open, where).toHaveLength(1);
        sub.kill('SIGKILL');
        expect((await sub).signal, where).toBe('SIGKILL');
        await campfireBackendsGone(base.db);
        expect(await fullCatalog(base.db), where).toEqual(base.catalog);
        expect(await base.db.snapshot(), where).toEqual(base.snapshot);
        // The undo script is never in place for a change that never happened.
        expect(existsSync(undoFile), where).toBe(false);
        if (point === 'commit') {
          // It is written before COMMIT (an applied change must never lack one), but only as FILE.pending:
          // marked in its name and text, and it refuses to run (its guard aborts the transaction).
          const pending = `${undoFile}.pending`;
          expect(existsSync(pending), where).toBe(true);
          const text = readFileSync(pending, 'utf8');
          expect(text.split('\n')[1], where).toBe('-- PENDING: NOT COMMITTED. This file was written just before COMMIT.');
          await expect(base.db.query(text), where).rejects.toThrow(/campfire wrote this undo script before COMMIT/);
          expect(await fullCatalog(base.db), `${where}, after trying the leftover pending undo script`).toEqual(base.catalog);
        } else {
          expect(existsSync(`${undoFile}.pending`), where).toBe(false);
        }
      }
      expect(seen.size).toBe(base.points.length);
    });

    it('an apply that commits moves its undo script into place and leaves no .pending file', async () => {
      const undoFile = path.join(tempDir(), 'undo.sql');
      const r = await campfire([command, '--db-url', base.db.url, ...flags, '--apply', '--yes', '--undo-file', undoFile]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(existsSync(undoFile)).toBe(true);
      expect(existsSync(`${undoFile}.pending`)).toBe(false);
      expect(readFileSync(undoFile, 'utf8')).not.toContain('PENDING');
      // and the undo script restores the catalog exactly
      await base.db.query(readFileSync(undoFile, 'utf8'));
      expect(await fullCatalog(base.db)).toEqual(base.catalog);
    });
  });
}
