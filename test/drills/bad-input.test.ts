import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { fullCatalog, type FullCatalog } from '../support/catalog.js';
import { campfire } from '../support/cli.js';
import { createDatabase, withClient, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';
import { freePort } from '../support/server.js';
import { withDatabase } from '../support/templates.js';
import { CASES, INTRUDER_PW, PW, SECRETS, type Ctx } from './bad-input-cases.js';

/**
 * Drill: the bad-input matrix (test/drills/bad-input-cases.ts), one `it` per case, each run through the
 * built CLI. Every case: the expected exit code (2, or 1 where it is a finding), at most one line on
 * stderr (commander's hint lines aside) and exactly one when it exits 2, no stack trace, stdout one JSON
 * document where --json was given, no password or key in stdout, stderr or any file the run wrote, and
 * the shared broken database unchanged.
 */
const run = `${process.pid}_${Date.now().toString(36)}`;
const SUPER = `campfire_drill_su_${run}`;
const INTRUDER = `campfire_drill_intruder_${run}`;
const fresh: TestDb[] = [];
let ctx: Ctx;
let baseline: FullCatalog;

function urlAs(db: TestDb, user: string, password: string): string {
  const u = new URL(withDatabase(inject('adminUrl'), db.name));
  u.username = user;
  u.password = password;
  return u.toString();
}

beforeAll(async () => {
  const admin = inject('adminUrl');
  // A superuser whose password is PW, so every URL that must connect still carries the distinctive secret.
  await withClient(admin, (c) => c.query(`create role ${SUPER} login superuser password '${PW}'; create role ${INTRUDER} login password '${INTRUDER_PW}'`));
  const [brokenDb, emptyDb, readOnlyDb] = await Promise.all([createDatabase('broken'), createDatabase('empty'), createDatabase('broken')]);
  await withClient(admin, (c) => c.query(`alter database ${readOnlyDb.name} set default_transaction_read_only = on; grant connect on database ${brokenDb.name} to ${INTRUDER}`));
  // Does the server check passwords? (The embedded test server does; the machine's PG15 trusts local users.)
  const wrongPassword = urlAs(brokenDb, SUPER, `${PW}-wrong`);
  const probe = new pg.Client({ connectionString: wrongPassword });
  const checksPasswords = await probe.connect().then(
    () => false,
    (err: { code?: string }) => err.code === '28P01',
  );
  await probe.end().catch(() => {});
  fresh.push(brokenDb, emptyDb, readOnlyDb);
  ctx = {
    broken: urlAs(brokenDb, SUPER, PW), brokenDb,
    empty: urlAs(emptyDb, SUPER, PW), emptyDb,
    readOnly: urlAs(readOnlyDb, SUPER, PW),
    intruder: urlAs(brokenDb, INTRUDER, INTRUDER_PW),
    wrongPassword, checksPasswords,
    closedPort: await freePort(),
    fresh: async (state = 'broken', extraSql) => {
      const db = await createDatabase(state, extraSql);
      fresh.push(db);
      ctx.lastFresh = db;
      return db;
    },
    urlOf: (db) => urlAs(db, SUPER, PW),
  };
  baseline = await fullCatalog(brokenDb);
});

afterAll(async () => {
  await Promise.all(fresh.map((d) => d.drop()));
  await withClient(inject('adminUrl'), (c) => c.query(`drop role if exists ${SUPER}; drop role if exists ${INTRUDER}`));
});

afterEach(async () => {
  // Nothing in the matrix may change the shared broken database.
  if (ctx) expect(await fullCatalog(ctx.brokenDb)).toEqual(baseline);
});

/** Every file under dir (the case's working directory: undo scripts, migrations, reports). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => { try { return statSync(f).isFile(); } catch { return false; } });
}

const HINT = /^\((Did you mean|run campfire --help)/;

describe('bad input matrix', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  for (const c of CASES) {
    it(c.name, async (t) => {
      if (c.needsPasswordCheck && !ctx.checksPasswords) t.skip('this server does not check passwords (trust authentication)');
      const dir = tempDir();
      const r = await campfire(await c.args(ctx, dir), { cwd: dir, env: c.env?.(ctx) });

      expect(c.exit, `exit ${r.exitCode}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`).toContain(r.exitCode);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toContain('campfire crashed');
      const lines = r.stderr.split('\n').filter((l) => l.trim() && !HINT.test(l));
      expect(lines.length, r.stderr).toBeLessThanOrEqual(1);
      if (r.exitCode === 2) expect(lines, r.stderr).toHaveLength(1);
      if (c.json) expect(() => JSON.parse(r.stdout)).not.toThrow();
      if (c.says) expect(r.exitCode === 2 ? r.stderr : r.stdout).toMatch(c.says);

      const written = filesUnder(dir).map((f) => [f, readFileSync(f, 'latin1')] as const);
      for (const secret of SECRETS) {
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
        for (const [f, text] of written) expect(text, f).not.toContain(secret);
      }
      await c.then?.(ctx, r, dir);
    });
  }
});
