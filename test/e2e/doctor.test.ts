import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { campfire, ROOT } from '../support/cli.js';
import { createDatabase, withClient, type TestDb } from '../support/db.js';
import { freePort } from '../support/server.js';

/** The URL with a password the tests can look for in every output. */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

const adminPassword = () => new URL(inject('adminUrl')).password;

describe('campfire doctor (built CLI)', () => {
  let broken: TestDb;
  let healthy: TestDb;
  beforeAll(async () => {
    [broken, healthy] = await Promise.all([createDatabase('broken'), createDatabase('healthy')]);
  });
  afterAll(async () => {
    await Promise.all([broken?.drop(), healthy?.drop()]);
  });

  it('healthy database: exit 0, one JSON document, every check passes, no password', async () => {
    const r = await campfire(['doctor', '--db-url', healthy.url, '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    const databaseChecks = CHECKS.filter((c) => c.input === 'database').length;
    expect(doc).toMatchObject({ tool: 'campfire', exitCode: 0, summary: { pass: databaseChecks, fail: 0, warn: 0, skip: CHECKS.length - databaseChecks, error: 0 } });
    expect(doc.target.database).toBe(healthy.url.replace(/:[^:@/]*@/, '@'));
    expect(doc.target.serverVersion).toBe(inject('serverVersion'));
    for (const c of doc.checks) {
      expect(Object.keys(c).sort()).toEqual(['durationMs', 'findings', 'fix', 'id', 'section', 'status', 'summary', 'title']);
    }
    if (adminPassword()) expect(r.stdout + r.stderr).not.toContain(adminPassword());
  });

  it('broken database: exit 1, each failure with its fix', async () => {
    const r = await campfire(['doctor', '--db-url', broken.url]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/✗ publication\.scalar-columns/);
    expect(r.stdout).toMatch(/public\.conversations\.metadata: jsonb/);
    expect(r.stdout).toMatch(/Fix: npx campfire fix-publication/);
    expect(r.stdout).toMatch(/Fix: npx campfire fix-permissions/);
    expect(r.stdout).toMatch(/Summary: 9 passed, 7 failed, 1 warning/);
    // Not a terminal: no colour codes.
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('reads DATABASE_URL, then SUPABASE_DB_URL', async () => {
    const a = await campfire(['doctor', '--json'], { env: { DATABASE_URL: healthy.url } });
    expect(JSON.parse(a.stdout).exitCode).toBe(0);
    const b = await campfire(['doctor', '--json'], { env: { SUPABASE_DB_URL: broken.url } });
    expect(JSON.parse(b.stdout).exitCode).toBe(1);
  });

  it('never writes: runs in a READ ONLY transaction', async () => {
    const before = await healthy.snapshot();
    await campfire(['doctor', '--db-url', healthy.url]);
    expect(await healthy.snapshot()).toEqual(before);
  });

  it('uses campfire.config.json from the working directory', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-e2e-'));
    writeFileSync(path.join(dir, 'campfire.config.json'), JSON.stringify({ tables: { messages: 'no_such_table' } }));
    const r = await campfire(['doctor', '--db-url', healthy.url, '--json'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    expect(doc.checks.find((c: { id: string }) => c.id === 'permissions.rls-enabled').findings[0].object).toBe('public.no_such_table');
    expect(r.exitCode).toBe(1);
  });

  describe('bad input: one line, exit 2, no stack trace, no password', () => {
    const secret = 'S3cret-Pa55';
    const cases: [string, () => Promise<string[]>, RegExp][] = [
      ['no database given', async () => ['doctor'], /Nothing to check: pass --db-url/],
      ['malformed URL', async () => ['doctor', '--db-url', `postgres://user:${secret}@[::1/db`], /not a valid URL/],
      ['wrong scheme', async () => ['doctor', '--db-url', `mysql://user:${secret}@localhost/db`], /must start with postgres:\/\//],
      ['nothing listening', async () => ['doctor', '--db-url', `postgres://postgres:${secret}@127.0.0.1:${await freePort()}/postgres`], /Nothing is listening at 127\.0\.0\.1:\d+/],
      ['database does not exist', async () => {
        const u = new URL(withPassword(inject('adminUrl'), secret));
        u.pathname = '/campfire_no_such_db';
        return ['doctor', '--db-url', u.toString()];
      }, /Database "campfire_no_such_db" does not exist|Password authentication failed/],
      ['bad timeout', async () => ['doctor', '--db-url', healthy.url, '--connect-timeout', 'soon'], /--connect-timeout must be a duration/],
      ['config file missing', async () => ['doctor', '--db-url', healthy.url, '--config', '/nonexistent/campfire.json'], /does not exist/],
      ['unknown option', async () => ['doctor', '--frobnicate'], /unknown option '--frobnicate'/],
      ['unknown command', async () => ['docter'], /unknown command 'docter'/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const r = await campfire(await args());
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stdout + r.stderr).not.toContain(secret);
        expect(r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('(run campfire --help') && !l.startsWith('(Did you mean')).length).toBe(1);
      });
    }

    it('wrong password (where the server checks passwords)', async () => {
      const url = withPassword(inject('adminUrl'), secret);
      const trusts = await withClient(url, async () => true).catch(() => false);
      if (trusts) {
        console.log('skipped: this test server trusts every password (trust auth), so a wrong one cannot fail');
        return;
      }
      const r = await campfire(['doctor', '--db-url', url]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/Password authentication failed for user "postgres"/);
      expect(r.stdout + r.stderr).not.toContain(secret);
    });

    it('invalid config JSON', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-e2e-'));
      writeFileSync(path.join(dir, 'campfire.config.json'), '{"tables": ');
      const r = await campfire(['doctor', '--db-url', healthy.url], { cwd: dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/campfire\.config\.json is not valid JSON/);
    });
  });
});

describe('campfire checks', () => {
  it('lists every check with its section and fix', async () => {
    const r = await campfire(['checks', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.checks.map((c: { id: string }) => c.id)).toEqual(CHECKS.map((c) => c.id));
    expect(doc.checks.find((c: { id: string }) => c.id === 'publication.scalar-columns').fix).toBe('campfire fix-publication');
  });

  it("the README's check reference is generated from the metadata", async () => {
    const r = await campfire(['checks', '--markdown']);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = /<!-- checks:start -->\n([\s\S]*?)<!-- checks:end -->/.exec(readme)?.[1];
    expect(table?.trimEnd(), 'run: npm run build && npm run readme:checks').toBe(r.stdout.trimEnd());
  });
});

describe('launcher', () => {
  it('explains which Node is needed when it is too old', async () => {
    const { execa } = await import('execa');
    const candidates = ['/usr/bin/node', '/usr/local/bin/node'];
    let old: string | undefined;
    for (const c of candidates) {
      const v = await execa(c, ['-p', 'process.versions.node'], { reject: false });
      if (v.exitCode === 0 && Number(String(v.stdout).split('.')[0]) < 22) old = c;
    }
    if (!old) {
      console.log('skipped: no Node older than 22 on this machine to run the launcher with');
      return;
    }
    const r = await campfire(['--version'], { node: old });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/campfire needs Node\.js 22\.12 or newer; this is Node\.js 2\d\./);
  });
});

describe('pipes', () => {
  it('stops quietly when the reader goes away (campfire checks | true)', async () => {
    const { execa } = await import('execa');
    const r = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" bin/campfire.js checks --json | true`], { cwd: ROOT, reject: false });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
