import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { renderHuman } from '../../src/report/human.js';
import { buildReport } from '../../src/report/model.js';

const chalk = new Chalk({ level: 0 });
const r = (id: string, status: CheckResult['status'], section: CheckResult['section']): CheckResult => ({
  id, section, title: 't', status, summary: `${id} summary`, findings: [{ object: `${id}-obj`, detail: 'd' }], fix: null, durationMs: 2,
});
const report = buildReport(
  [r('p.ok', 'pass', 'binding-mismatch'), r('p.bad', 'fail', 'binding-mismatch'), r('q.ok', 'pass', 'permissions'), r('b.meh', 'warn', 'beyond')],
  { database: 'postgres://u@h/db' },
  { notSelected: ['x.y'] },
);

describe('renderHuman for the gate', () => {
  it('--quiet keeps failures and warnings, the summary and the heading naming the database; drops passing checks and empty sections', () => {
    const out = renderHuman(report, { chalk, quiet: true });
    expect(out).toContain('p.bad');
    expect(out).toContain('b.meh');
    expect(out).not.toContain('p.ok');
    expect(out).not.toContain('Database Permission Errors');
    expect(out).toContain('campfire doctor — postgres://u@h/db');
    expect(out).toContain('Summary: 2 passed, 1 failed, 1 warning, 0 skipped, 0 errors, 1 not selected');
  });

  it('wraps each shown section in the group lines, in order', () => {
    const out = renderHuman(report, { chalk, group: { start: (t) => `<<${t}`, end: '>>' } });
    const marks = out.split('\n').filter((l) => l.startsWith('<<') || l === '>>');
    expect(marks).toEqual(['<<Binding Mismatch Errors', '>>', '<<Database Permission Errors', '>>', '<<Beyond the guide', '>>']);
  });

  it('--verbose shows passing findings and timings; the title names the command', () => {
    const out = renderHuman(report, { chalk, verbose: true, title: 'campfire probe-broadcast' });
    expect(out).toContain('p.ok-obj: d');
    expect(out).toContain('(2 ms)');
    expect(out).toContain('campfire probe-broadcast — postgres://u@h/db');
  });
});
