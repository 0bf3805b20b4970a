import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { SECTIONS } from '../../src/checks/types.js';
import { renderJunit } from '../../src/report/junit.js';
import { buildReport } from '../../src/report/model.js';
import { junitSchemaErrors, parseJunit } from '../support/junit.js';

const NASTY = `policy "a<b" & 'c' > ]]> — café 🔥 \u0001bell\u001b[31m \uFFFE end`;

function result(over: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return { section: 'binding-mismatch', title: 'A check', summary: `summary of ${over.id}`, findings: [], fix: null, durationMs: 1.5, ...over };
}

const checks: CheckResult[] = [
  result({ id: 'a.pass', status: 'pass', durationMs: 0.25 }),
  result({
    id: 'a.fail',
    status: 'fail',
    summary: `2 findings: ${NASTY}`,
    findings: [
      { object: 'public."Conversations"', detail: NASTY },
      { object: 'line\nbreak', detail: 'tab\there' },
    ],
    advice: 'because <reasons> & more',
    fix: 'campfire fix-publication',
    durationMs: 1234.5,
  }),
  result({ id: 'b.skip', section: 'permissions', status: 'skip', summary: 'no database input given' }),
  result({ id: 'b.error', section: 'permissions', status: 'error', summary: 'check crashed: Cannot read "x" of <undefined>' }),
  result({ id: 'c.warn', section: 'beyond', status: 'warn', summary: 'always-true policy', findings: [{ object: 'policy "p"', detail: 'WITH CHECK (true)' }] }),
];

describe('renderJunit', () => {
  it('is valid against the JUnit schema even with quotes, <, &, unicode and characters XML forbids', async () => {
    const xml = renderJunit(buildReport(checks, { database: 'postgres://u@h/db' }));
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(xml).not.toMatch(/[\u0001\u001b\uFFFE]/);
  });

  it('parses back to one testsuite per section and one testcase per check, in the report order', () => {
    const report = buildReport(checks, {});
    const parsed = parseJunit(renderJunit(report));
    expect(parsed.suites.map((s) => [s.id, s.name])).toEqual([
      ['binding-mismatch', SECTIONS['binding-mismatch']],
      ['permissions', SECTIONS.permissions],
      ['beyond', SECTIONS.beyond],
    ]);
    expect(parsed.cases.map((c) => [c.classname, c.name, c.outcome, c.suiteId])).toEqual(
      report.checks.map((r) => [r.section, r.id, { pass: 'passed', fail: 'failure', warn: 'passed', skip: 'skipped', error: 'error' }[r.status], r.section]),
    );
    for (const [i, c] of parsed.cases.entries()) expect(c.time).toBeCloseTo(report.checks[i]!.durationMs / 1000, 6);
    expect(parsed.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1' });
    expect(parsed.suites[1]!.attrs).toMatchObject({ tests: '2', failures: '0', errors: '1', skipped: '1' });
  });

  it('carries the summary and every finding, escaped and unescaped faithfully, minus the illegal characters', () => {
    const parsed = parseJunit(renderJunit(buildReport(checks, {})));
    const fail = parsed.cases.find((c) => c.name === 'a.fail')!;
    const legal = NASTY.replace(/[\u0001\u001b\uFFFE]/g, '');
    expect(fail.type).toBe('fail');
    expect(fail.message).toBe(`2 findings: ${legal}`);
    expect(fail.text).toContain(`- public."Conversations": ${legal}`);
    expect(fail.text).toContain('- line\nbreak: tab\there');
    expect(fail.text).toContain('Why: because <reasons> & more');
    expect(fail.text).toContain('Fix: campfire fix-publication');
    const err = parsed.cases.find((c) => c.name === 'b.error')!;
    expect(err.message).toBe('check crashed: Cannot read "x" of <undefined>');
    expect(parsed.cases.find((c) => c.name === 'b.skip')!.message).toBe('no database input given');
  });

  it('a warning passes with its text in system-out, and becomes a failure under --fail-on warn', () => {
    const normal = parseJunit(renderJunit(buildReport(checks, {}))).cases.find((c) => c.name === 'c.warn')!;
    expect(normal.outcome).toBe('passed');
    expect(normal.systemOut).toContain('warning: A check: always-true policy');
    const strict = parseJunit(renderJunit(buildReport(checks, {}, { failOn: 'warn' })));
    expect(strict.cases.find((c) => c.name === 'c.warn')).toMatchObject({ outcome: 'failure', type: 'warn' });
    expect(strict.attrs.failures).toBe('2');
  });

  it('the schema check itself rejects what readers would reject (a testcase without a name)', async () => {
    const bad = '<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>';
    expect((await junitSchemaErrors(bad)).join('\n')).toMatch(/name/);
  });

  it('an empty report is still a valid document', async () => {
    expect(await junitSchemaErrors(renderJunit(buildReport([], {})))).toEqual([]);
  });
});
