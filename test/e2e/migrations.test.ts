import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { campfire } from '../support/cli.js';
import { copyFixtureFolder, databaseFromFolder, databaseVerdicts, guideFolder, MIGRATION_FIXTURES, tempDir } from '../support/migrations.js';

// doctor --migrations DIR (issue 17): the database checks on a shadow built from a Supabase migrations
// folder must say exactly what doctor --db-url says about a database built from the same files.
const DATABASE_IDS = CHECKS.filter((c) => c.input === 'database').map((c) => c.id);
const root = tempDir('migrations');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const shadowUrl = () => inject('adminUrl');

async function doctorJson(args: string[]) {
  const r = await campfire(['doctor', '--json', ...args], { env: { NO_COLOR: '1' } });
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
}

describe('doctor --migrations gives the verdicts doctor --db-url gives on a database built from the same files', () => {
  const folders: [string, () => string][] = [
    ['the guide\'s broken state', () => guideFolder(root, 'broken')],
    ['the guide\'s healthy state', () => guideFolder(root, 'healthy')],
    ['realtime-chat (idempotent do-blocks, auth.uid() policies, replica identity full)', () => path.join(MIGRATION_FIXTURES, 'realtime-chat')],
    ['db-pull (supabase db pull style dump)', () => path.join(MIGRATION_FIXTURES, 'db-pull')],
  ];
  it.each(folders)('%s', { timeout: 120_000 }, async (_name, folder) => {
    const dir = folder();
    const db = await databaseFromFolder(dir);
    try {
      const live = await doctorJson(['--db-url', db.url]);
      const shadow = await doctorJson(['--migrations', dir, '--shadow-url', shadowUrl()]);
      expect(shadow.stderr).toBe('');
      expect(shadow.exitCode).toBe(live.exitCode);
      const verdicts = databaseVerdicts(shadow.doc, DATABASE_IDS);
      // Every database check judged the shadow (none skipped for want of a database)...
      expect(Object.values(verdicts).filter((v) => v.startsWith('skip'))).toEqual([]);
      expect(Object.keys(verdicts).sort()).toEqual([...DATABASE_IDS].sort());
      // ...and concluded what it concludes on the database built with psql-style loading.
      expect(verdicts).toEqual(databaseVerdicts(live.doc, DATABASE_IDS));
      expect(shadow.doc.target.database).toMatch(/^migrations .+ \(\d+ files?, last \d+\) on a shadow database/);
    } finally {
      await db.drop();
    }
  });

  it('the broken folder fails (exit 1) and the healthy one passes (exit 0): the comparison is not vacuous', { timeout: 60_000 }, async () => {
    const broken = await doctorJson(['--migrations', guideFolder(root, 'broken'), '--shadow-url', shadowUrl()]);
    const healthy = await doctorJson(['--migrations', guideFolder(root, 'healthy'), '--shadow-url', shadowUrl()]);
    expect(broken.exitCode).toBe(1);
    expect(healthy.exitCode).toBe(0);
    expect(broken.doc.target.database).toContain('(3 files, last 20240103000000)');
  });
});

describe('doctor --migrations in CI', () => {
  it('JUnit, GitHub annotations and the step summary work as for --db-url', { timeout: 60_000 }, async () => {
    const junit = path.join(root, 'ci', 'campfire.xml');
    const summary = path.join(root, 'summary.md');
    writeFileSync(summary, '');
    const r = await campfire(['doctor', '--migrations', guideFolder(root, 'broken'), '--shadow-url', shadowUrl(), '--fail-on', 'warn', '--junit', junit], {
      env: { NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.exitCode).toBe(1);
    const failed = r.stdout.split('\n').filter((l) => l.startsWith('::error title=campfire '));
    expect(failed.length).toBeGreaterThan(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase[^>]+name="publication.tables"[\s\S]*?<failure/);
    expect(readFileSync(summary, 'utf8')).toContain('publication.tables');
  });
});

describe('doctor --migrations: what does not apply', () => {
  it('a failing migration: exit 2, FILE:LINE:COL, the statement and Postgres\' message', { timeout: 60_000 }, async () => {
    const r = await campfire(['doctor', '--migrations', 'fixtures/migrations/failing', '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      'error: fixtures/migrations/failing/20240102000000_policy.sql:4:1: relation "public.realtime_conversations" does not exist (SQLSTATE 42P01)',
      '  | create policy realtime_conv_select',
      '  |   on public.realtime_conversations for select to anon using (true)',
      '  fixtures/migrations/failing/20240102000000_policy.sql was rolled back; later migrations were not applied.',
    ].join('\n'));
  });

  it('an error inside a DO block points at its line in the file', { timeout: 60_000 }, async () => {
    const dir = path.join(root, 'do-block');
    rmSync(dir, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(dir);
    writeFileSync(path.join(dir, '20240101000000_guarded.sql'), 'select 1;\n\ndo $$\nbegin\n  if true then\n    alter table public.nosuch enable row level security;\n  end if;\nend\n$$;\n');
    const r = await campfire(['doctor', '--migrations', dir, '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: ${path.join(dir, '20240101000000_guarded.sql')}:6:5: relation "public.nosuch" does not exist (SQLSTATE 42P01)`);
  });

  it('a syntax error maps Postgres\' position to the line and column in the file', { timeout: 60_000 }, async () => {
    const dir = path.join(root, 'syntax');
    (await import('node:fs')).mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '20240101000000_typo.sql'), '-- header\ncreate table a (id int);\n\ncreate table b (\n  id int,\n  name txt\n);\n');
    const r = await campfire(['doctor', '--migrations', dir, '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`error: ${path.join(dir, '20240101000000_typo.sql')}:6:8: type "txt" does not exist (SQLSTATE 42704)`);
  });

  it('an extension plain PostgreSQL lacks: exit 2, says so and points to --shadow container', { timeout: 60_000 }, async () => {
    const r = await campfire(['doctor', '--migrations', 'fixtures/migrations/needs-pg-net', '--shadow-url', shadowUrl()], { env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: fixtures/migrations/needs-pg-net/20240101000000_webhooks.sql:4:1: the migration needs the extension "pg_net", which plain PostgreSQL does not ship ' +
        "(Supabase installs it): rerun with --shadow container (Supabase's own supabase/postgres image, needs Docker) or --shadow-url a server that has it.",
    );
    expect(r.stderr).toContain('  Postgres said: extension "pg_net" is not available');
  });

  it('--skip-missing-extensions steps over that CREATE EXTENSION only, and the report says so', { timeout: 60_000 }, async () => {
    const r = await doctorJson(['--migrations', 'fixtures/migrations/needs-pg-net', '--shadow-url', shadowUrl(), '--skip-missing-extensions']);
    expect(r.stderr).toBe('');
    expect(r.doc.target.database).toContain('stepped over CREATE EXTENSION pg_net at fixtures/migrations/needs-pg-net/20240101000000_webhooks.sql:4');
    // A statement that depends on the skipped extension still fails, with a note naming what was skipped.
    const dir = copyFixtureFolder(root, 'needs-pg-net');
    writeFileSync(path.join(dir, '20240102000000_hook.sql'), "select net.http_post('https://example.invalid');\n");
    const dep = await campfire(['doctor', '--migrations', dir, '--shadow-url', shadowUrl(), '--skip-missing-extensions'], { env: { NO_COLOR: '1' } });
    expect(dep.exitCode).toBe(2);
    expect(dep.stderr).toContain('schema "net" does not exist');
    expect(dep.stderr).toContain('note: stepped over earlier (--skip-missing-extensions): pg_net at');
  });

  it('bad input is one line and exit 2', async () => {
    const cases: [string[], string][] = [
      [['--migrations', 'no/such/dir'], 'error: --migrations no/such/dir does not exist'],
      [['--migrations', 'fixtures/migrations/failing', '--db-url', 'postgres://x@127.0.0.1/x'], 'error: --db-url and --migrations contradict each other'],
      [['--seed', 'x.sql', '--db-url', 'postgres://x@127.0.0.1/x'], 'error: --seed needs --migrations DIR.'],
      [['--migrations', 'fixtures/migrations/failing', '--shadow', 'vm'], 'error: --shadow must be embedded or container (got vm).'],
      [['--migrations', 'fixtures/migrations/failing', '--seed', 'no-seed.sql'], 'error: --seed no-seed.sql does not exist or is not a file.'],
    ];
    for (const [args, line] of cases) {
      const r = await campfire(['doctor', ...args], { env: { NO_COLOR: '1' } });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toContain(line);
    }
  });
});

describe('the shadow engines', () => {
  it('embedded (the default): builds the cluster once, then reuses it; --seed runs after the migrations', { timeout: 240_000 }, async () => {
    const cache = tempDir('shadow-cache');
    chmodSync(cache, 0o755); // as root, Postgres runs as postgres, which must reach the cache
    const env = { NO_COLOR: '1', XDG_CACHE_HOME: cache };
    try {
      const dir = guideFolder(root, 'healthy');
      const seed = path.join(root, 'seed.sql');
      writeFileSync(seed, "insert into public.conversations (organization_id, customer_name) values (gen_random_uuid(), 'seeded');\n");
      const cold = await campfire(['doctor', '--json', '--migrations', dir, '--seed', seed], { env });
      expect(cold.stderr).toBe('');
      expect(cold.exitCode).toBe(0);
      const doc = JSON.parse(cold.stdout);
      expect(doc.target.database).toMatch(/seed .*seed\.sql\) on a shadow database, embedded PostgreSQL 17/);
      const warm = await campfire(['doctor', '--json', '--migrations', guideFolder(root, 'broken')], { env });
      expect(warm.exitCode).toBe(1);
      // The cluster stays for the next run; no shadow database is left in it (checked on the next start).
      expect((await import('node:fs')).existsSync(path.join(cache, 'campfire', 'shadow', 'data', 'PG_VERSION'))).toBe(true);
    } finally {
      // Stop the cluster's server if it is still shutting down, then remove it.
      const { readServerState } = await import('../../src/embedded/pidfile.js');
      const data = path.join(cache, 'campfire', 'shadow', 'data');
      for (let i = 0; i < 300 && readServerState(data).kind === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('--shadow container without a Docker engine is a clear error, never a silent fallback', { timeout: 60_000 }, async () => {
    const r = await campfire(['doctor', '--migrations', 'fixtures/migrations/failing', '--shadow', 'container'], {
      env: { NO_COLOR: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock', TESTCONTAINERS_RYUK_DISABLED: 'true' },
    });
    expect(r.exitCode).toBe(2);
    // testcontainers is installed here (a devDependency): the one thing missing is the engine.
    expect(r.stderr).toMatch(/^error: --shadow container needs a Docker engine, and none is reachable \(.+\): start Docker, or drop --shadow container/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
