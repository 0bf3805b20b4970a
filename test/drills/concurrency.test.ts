import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { campfire, spawnCampfire } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';

/**
 * Drill: two fixes started together on one database, several rounds. Both are held at the same point
 * (inside their transactions, just before the advisory lock) and released by one signal each, so they
 * really race for the lock; the winner then waits before COMMIT, so the loser meets a held lock rather
 * than a finished fix. Exactly one applies; the other changes nothing and says who holds the lock.
 */
const ROUNDS = [
  ['fix-permissions', 'fix-permissions'],
  ['fix-publication', 'fix-publication'],
  ['fix-permissions', 'fix-publication'],
  ['fix-publication', 'fix-permissions'],
] as const;

const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

/** Collects a subprocess's stderr from the start, so no marker is missed between two waits. */
function watch(sub: ResultPromise) {
  let seen = '';
  const waiters: { marker: string; resolve: () => void }[] = [];
  sub.stderr!.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    for (const w of waiters.splice(0)) if (seen.includes(w.marker)) w.resolve(); else waiters.push(w);
  });
  return {
    until: (marker: string) =>
      new Promise<void>((resolve, reject) => {
        if (seen.includes(marker)) return resolve();
        waiters.push({ marker, resolve });
        sub.then((r) => reject(new Error(`exited (${r.exitCode}) before "${marker}": ${seen}`)), reject);
      }),
  };
}

describe('two fixes started together', () => {
  for (const [i, pair] of ROUNDS.entries()) {
    it(`round ${i + 1}: ${pair.join(' + ')}: exactly one proceeds`, async () => {
      const db = await createDatabase('broken');
      dbs.push(db);
      const env = { CAMPFIRE_TEST_PAUSE_AT: 'lock', CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' };
      const subs = pair.map((command) =>
        spawnCampfire([command, '--db-url', db.url, '--apply', '--yes', '--json', '--undo-file', path.join(tempDir(), 'undo.sql')], { env }),
      );
      const watchers = subs.map(watch);
      await Promise.all(watchers.map((w) => w.until('test pause at lock ')));
      for (const s of subs) s.kill('SIGUSR2');

      // The loser returns at once; the winner waits before COMMIT until released.
      const first = await Promise.race(subs.map((s, k) => s.then(() => k)));
      const winner = 1 - first;
      await watchers[winner]!.until('test pause before COMMIT');
      subs[winner]!.kill('SIGUSR2');
      const [won, lost] = [await subs[winner]!, await subs[first]!];

      const w = JSON.parse(String(won.stdout));
      const l = JSON.parse(String(lost.stdout));
      expect([won.exitCode, w.outcome.status]).toEqual([0, 'applied']);
      expect([lost.exitCode, l.outcome.status]).toEqual([1, 'busy']);
      expect(l.outcome.holders[0].application).toBe('campfire');
      expect(l.outcome.message).toContain('another campfire fix is running');
      expect(l.undoFile).toBeNull();

      // What the loser would have done is still to do; what the winner did is done.
      const loserCommand = pair[first]!;
      const winnerCommand = pair[winner]!;
      const again = await campfire([winnerCommand, '--db-url', db.url, '--json']);
      expect(JSON.parse(again.stdout).plan.steps).toHaveLength(0);
      if (loserCommand !== winnerCommand) {
        const pending = await campfire([loserCommand, '--db-url', db.url, '--json']);
        expect(JSON.parse(pending.stdout).plan.steps.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('two recovers started together', () => {
  /**
   * Both start at once with the pause hook set; whichever takes the recovery lock first stops inside its
   * first database step (holding the lock), so the other meets a held lock rather than a finished run.
   */
  for (const round of [1, 2, 3]) {
    it(`round ${round}: exactly one proceeds, the other is refused (exit 2) and writes nothing`, async () => {
      const db = await createDatabase('broken');
      dbs.push(db);
      const dirs = [tempDir(), tempDir()];
      const subs = dirs.map((cwd) => spawnCampfire(['recover', '--db-url', db.url, '--yes'], { cwd, env: { CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS: '120000' } }));
      // Release each pause of the winner once the loser has gone (one pause is open at a time).
      let released = false;
      const pending = [0, 0];
      subs.forEach((s, k) =>
        s.stderr!.on('data', (chunk: Buffer) => {
          if (!chunk.toString().includes('test pause before COMMIT')) return;
          if (released) s.kill('SIGUSR2');
          else pending[k]!++;
        }),
      );
      const first = await Promise.race(subs.map((s, k) => s.then(() => k)));
      const winner = 1 - first;
      const lost = await subs[first]!;
      expect(lost.exitCode).toBe(2);
      expect(String(lost.stderr)).toContain('another campfire recover is in progress on this database');
      expect(String(lost.stderr)).toContain('application "campfire recover"');
      expect(existsSync(path.join(dirs[first]!, '.campfire'))).toBe(false);
      released = true;
      if (pending[winner]) subs[winner]!.kill('SIGUSR2');
      const won = await subs[winner]!;
      // The winner ran the runbook (exit 1: the guide leaves messages' policies to a person).
      expect(won.signal).toBeUndefined();
      expect([0, 1]).toContain(won.exitCode);
      expect(String(won.stdout)).toContain('step 1');
      const again = await campfire(['fix-publication', '--db-url', db.url, '--json']);
      expect(JSON.parse(again.stdout).plan.steps).toHaveLength(0);
    });
  }
});
