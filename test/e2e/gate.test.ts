import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import type { Report } from '../../src/report/model.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { junitSchemaErrors, parseJunit } from '../support/junit.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A URL that carries a password: the embedded server's own, or one added where the server trusts 127.0.0.1. */
function withPassword(url: string): { url: string; password: string } {
  const u = new URL(url);
  // % , : and spaces exercise the workflow-command escaping of the mask line.
  if (!u.password) u.password = encodeURIComponent('e2e-Pa%ss,wo:rd x');
  return { url: u.toString(), password: decodeURIComponent(u.password) };
}

function campfire(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  return execa(process.execPath, [path.join(ROOT, 'bin/campfire.js'), ...args], {
    cwd,
    reject: false,
    env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', DATABASE_URL: '', ...env },
  });
}

const json = (stdout: string) => JSON.parse(stdout) as Report;

describe('doctor as a CI gate (the built CLI)', () => {
  let broken: TestDb;
  let warned: TestDb;
  let tmp: string;
  beforeAll(async () => {
    [broken, warned] = await Promise.all([
      createDatabase('broken'),
      // Healthy, with its messages INSERT policy made always true: policies.permissive warns, every other check passes.
      createDatabase('healthy', `drop policy messages_insert on messages;
        create policy anyone_writes on messages for insert to anon, authenticated with check (true);`),
    ]);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'campfire-gate-'));
  });
  afterAll(async () => {
    await Promise.all([broken?.drop(), warned?.drop()]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('--fail-on', () => {
    it('a warning passes by default and fails with --fail-on warn', async () => {
      const normal = await campfire(['doctor', '--db-url', warned.url, '--json']);
      expect(normal.exitCode).toBe(0);
      const report = json(normal.stdout);
      expect(report.summary).toMatchObject({ warn: 1, fail: 0, error: 0 });
      expect(report.checks.find((c) => c.status === 'warn')!.id).toBe('policies.permissive');

      const strict = await campfire(['doctor', '--db-url', warned.url, '--json', '--fail-on', 'warn']);
      expect(strict.exitCode).toBe(1);
      expect(json(strict.stdout)).toMatchObject({ failOn: 'warn', exitCode: 1 });
    });

    it('failOn in the config file, overridden by the flag', async () => {
      const config = path.join(tmp, 'strict.json');
      writeFileSync(config, JSON.stringify({ failOn: 'warn' }));
      expect((await campfire(['doctor', '--db-url', warned.url, '--config', config])).exitCode).toBe(1);
      expect((await campfire(['doctor', '--db-url', warned.url, '--config', config, '--fail-on', 'fail'])).exitCode).toBe(0);
    });

    it('an unknown level is a usage error', async () => {
      const run = await campfire(['doctor', '--db-url', warned.url, '--fail-on', 'error']);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain("argument 'error' is invalid. Allowed choices are fail, warn.");
    });
  });

  describe('--only and --skip', () => {
    it('--only runs and reports just the named checks: passing ones make a failing database green', async () => {
      const run = await campfire(['doctor', '--db-url', broken.url, '--json', '--only', 'publication.exists', '--only', 'triggers.sync-realtime']);
      expect(run.exitCode).toBe(0);
      const report = json(run.stdout);
      expect(report.checks.map((c) => c.id)).toEqual(['publication.exists', 'triggers.sync-realtime']);
      expect(report.notSelected).toHaveLength(CHECKS.length - 2);
    });

    it('a section name selects all its checks', async () => {
      const run = await campfire(['doctor', '--db-url', broken.url, '--json', '--only', 'permissions']);
      expect(run.exitCode).toBe(1);
      expect(json(run.stdout).checks.map((c) => c.section)).toEqual(['permissions', 'permissions', 'permissions']);
    });

    it('--skip of every failing check (comma lists, sections) exits 0; the same in the config file too', async () => {
      const skip = 'binding-mismatch,widget-auth,permissions';
      const run = await campfire(['doctor', '--db-url', broken.url, '--json', '--skip', skip]);
      expect(run.exitCode).toBe(0);
      expect(json(run.stdout).summary.fail).toBe(0);

      const config = path.join(tmp, 'skip.json');
      writeFileSync(config, JSON.stringify({ skip: skip.split(',') }));
      expect((await campfire(['doctor', '--db-url', broken.url, '--config', config])).exitCode).toBe(0);
      // The flag replaces the file's list: skipping only one section leaves failures.
      expect((await campfire(['doctor', '--db-url', broken.url, '--config', config, '--skip', 'beyond'])).exitCode).toBe(1);
    });

    it('an unknown id is exit 2 with one line listing the valid ones, before connecting', async () => {
      const run = await campfire(['doctor', '--db-url', 'postgres://nobody@127.0.0.1:1/none', '--skip', 'permissions.grant']);
      expect(run.exitCode).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('--skip: unknown check or section "permissions.grant"');
      expect(lines[0]).toContain('permissions.grants');
      expect(run.stdout).toBe('');
    });

    it('an unknown id in the config file names the config key', async () => {
      const config = path.join(tmp, 'bad-only.json');
      writeFileSync(config, JSON.stringify({ only: ['nope'] }));
      const run = await campfire(['doctor', '--db-url', broken.url, '--config', config]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('config key "only": unknown check or section "nope"');
    });
  });

  describe('--junit', () => {
    it('writes a schema-valid report that parses back to the JSON report of the same run', async () => {
      const file = path.join(tmp, 'reports', 'nested', 'campfire.xml');
      const run = await campfire(['doctor', '--db-url', broken.url, '--json', '--junit', file]);
      expect(run.exitCode).toBe(1);
      const report = json(run.stdout);
      const xml = readFileSync(file, 'utf8');
      expect(await junitSchemaErrors(xml)).toEqual([]);
      const parsed = parseJunit(xml);
      const outcome = { pass: 'passed', fail: 'failure', warn: 'passed', skip: 'skipped', error: 'error' } as const;
      expect(parsed.cases.map((c) => [c.classname, c.name, c.outcome])).toEqual(report.checks.map((r) => [r.section, r.id, outcome[r.status]]));
      for (const c of parsed.cases.filter((x) => x.outcome === 'failure')) {
        const r = report.checks.find((x) => x.id === c.name)!;
        expect(c.message).toBe(r.summary);
        for (const f of r.findings) expect(c.text).toContain(`${f.object}: ${f.detail}`);
      }
      expect(parsed.attrs.tests).toBe(String(report.checks.length));
    });

    it('an unwritable path is exit 2 with one line, after the report was printed', async () => {
      const blocker = path.join(tmp, 'a-file');
      writeFileSync(blocker, '');
      const run = await campfire(['doctor', '--db-url', broken.url, '--junit', path.join(blocker, 'x.xml')]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/^error: Cannot write the JUnit report to .*a-file\/x\.xml \(part of the path is a file, not a folder\): give a writable path in --junit\.$/);
      expect(run.stdout).toContain('Summary:');
    });
  });

  describe('GitHub Actions', () => {
    it('masks first, then grouped sections, one annotation per failed check, and a checklist in the job summary', async () => {
      const { url, password } = withPassword(broken.url);
      const summary = path.join(tmp, 'step-summary.md');
      writeFileSync(summary, '# earlier step\n');
      const junit = path.join(tmp, 'gh.xml');
      const run = await campfire(['doctor', '--junit', junit], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, DATABASE_URL: url });
      expect(run.exitCode).toBe(1);
      const lines = run.stdout.split('\n');

      // Every add-mask line comes before any other line, and they cover the password and the whole URL.
      const masks = lines.filter((l) => l.startsWith('::add-mask::'));
      expect(lines.slice(0, masks.length)).toEqual(masks);
      const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
      const masked = masks.map((l) => unescape(l.slice('::add-mask::'.length)));
      expect(masked).toContain(password);
      expect(masked).toContain(url);

      // The secret is printed only inside the add-mask lines (they alone bypass redact()); never elsewhere.
      const rawForms = [password, encodeURIComponent(password)];
      for (const line of lines.slice(masks.length)) for (const s of rawForms) expect(line).not.toContain(s);
      for (const s of rawForms) {
        expect(run.stderr).not.toContain(s);
        expect(readFileSync(summary, 'utf8')).not.toContain(s);
        expect(readFileSync(junit, 'utf8')).not.toContain(s);
      }

      // One collapsible group per section that has checks.
      const failing = parseJunit(readFileSync(junit, 'utf8')).cases;
      const sections = [...new Set(failing.map((c) => c.suite))];
      expect(lines.filter((l) => l.startsWith('::group::'))).toEqual(sections.map((s) => `::group::${s}`));
      expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(sections.length);

      // One ::error annotation per failed check, titled with its id.
      const failedIds = failing.filter((c) => c.outcome === 'failure' || c.outcome === 'error').map((c) => c.name);
      expect(failedIds.length).toBeGreaterThan(0);
      const errors = lines.filter((l) => l.startsWith('::error '));
      expect(errors.map((l) => /^::error title=campfire ([^%\s]+)/.exec(l)![1])).toEqual(failedIds);

      // The job summary was appended to, not replaced, with a checklist item per check.
      const md = readFileSync(summary, 'utf8');
      expect(md.startsWith('# earlier step\n')).toBe(true);
      expect(md).toContain('## campfire doctor: ❌ failed');
      for (const c of failing) expect(md).toContain(`[${failedIds.includes(c.name) ? ' ' : 'x'}]`);
      for (const id of failedIds) expect(md).toMatch(new RegExp(`- \\[ \\] \\S+ \`${id.replace('.', '\\.')}\` (fail|error):`));
    });

    it('with --json the workflow commands go to stderr and stdout stays one JSON document', async () => {
      const { url, password } = withPassword(broken.url);
      const run = await campfire(['doctor', '--json', '--github', '--db-url', url], {});
      expect(run.exitCode).toBe(1);
      const report = json(run.stdout);
      expect(run.stdout).not.toMatch(/^::/m);
      const err = run.stderr.split('\n');
      expect(err[0]).toMatch(/^::add-mask::/);
      expect(err.filter((l) => l.startsWith('::error ')).length).toBe(report.summary.fail + report.summary.error);
      expect(run.stdout).not.toContain(password);
    });

    it('without GitHub mode nothing is masked and nothing bypasses redaction', async () => {
      const { url, password } = withPassword(broken.url);
      const run = await campfire(['doctor', '--db-url', url]);
      expect(run.stdout + run.stderr).not.toContain('::add-mask::');
      expect(run.stdout + run.stderr).not.toContain(password);
    });
  });

  describe('--quiet and --verbose', () => {
    it('--quiet prints only failures and warnings, then the summary', async () => {
      const run = await campfire(['doctor', '--db-url', warned.url, '--quiet']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('policies.permissive');
      expect(run.stdout).not.toContain('publication.exists');
      // The heading still names the database checked (issue 15: a quiet CI log must say which one failed).
      expect(run.stdout.split('\n')[0]).toMatch(/^campfire doctor — postgres:\/\//);
      expect(run.stdout).toMatch(/Summary: 16 passed, 0 failed, 1 warning/);
    });

    it('--verbose shows timings of passing checks; --quiet with --verbose is exit 2', async () => {
      const run = await campfire(['doctor', '--db-url', warned.url, '--verbose']);
      // The summary may wrap at 80 columns; the timing ends the check's last line.
      expect(run.stdout).toMatch(/publication\.exists [^✓✗!–]*? \(\d+(\.\d+)? ms\)/);
      const both = await campfire(['doctor', '--db-url', warned.url, '--verbose', '--quiet']);
      expect(both.exitCode).toBe(2);
      expect(both.stderr).toContain('--quiet and --verbose contradict each other');
    });
  });
});
