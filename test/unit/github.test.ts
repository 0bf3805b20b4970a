import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { annotations, escapeData, escapeProperty, maskCommand, stepSummary } from '../../src/report/github.js';
import { buildReport } from '../../src/report/model.js';

/** The runner's own un-escaping, as documented for workflow commands: the inverse of what we send. */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

const r = (over: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult => ({
  section: 'permissions',
  title: 'Roles have SELECT, INSERT: on tables',
  summary: '50% of 2\r\nlines',
  findings: [],
  fix: null,
  durationMs: 0,
  ...over,
});

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in data, and also : and , in properties, reversibly', () => {
    const text = 'a%b\r\nc:d,e %0A';
    expect(escapeData(text)).toBe('a%25b%0D%0Ac:d,e %250A');
    expect(escapeProperty(text)).toBe('a%25b%0D%0Ac%3Ad%2Ce %250A');
    expect(unescapeData(escapeData(text))).toBe(text);
    expect(unescapeProperty(escapeProperty(text))).toBe(text);
  });

  it('a mask command is one line whatever the secret holds', () => {
    expect(maskCommand('p%w\nx')).toBe('::add-mask::p%25w%0Ax\n');
  });
});

describe('annotations', () => {
  const report = buildReport(
    [
      r({ id: 'ok', status: 'pass' }),
      r({ id: 'bad', status: 'fail', findings: [{ object: 'public.t', detail: 'no grant' }], fix: 'campfire fix-permissions' }),
      r({ id: 'meh', status: 'warn' }),
      r({ id: 'boom', status: 'error', summary: 'check crashed: x' }),
      r({ id: 'gone', status: 'skip' }),
    ],
    {},
  );
  const lines = annotations(report);

  it('one per failed, errored and warned check, nothing for pass or skip', () => {
    expect(lines.map((l) => /^::(\w+) /.exec(l)![1])).toEqual(['error', 'warning', 'error']);
    expect(lines.every((l) => !l.includes('\n') && !l.includes('\r'))).toBe(true);
  });

  it('carries a title with the check id and a message with the summary, findings and fix', () => {
    const [, level, title, message] = /^::(\w+) title=([^:]*)::(.*)$/.exec(lines[0]!)!;
    expect(level).toBe('error');
    expect(unescapeProperty(title!)).toBe('campfire bad: Roles have SELECT, INSERT: on tables');
    expect(unescapeData(message!)).toBe('50% of 2\r\nlines\n- public.t: no grant\nFix: campfire fix-permissions');
    expect(unescapeProperty(/title=([^:]*)::/.exec(lines[2]!)![1]!)).toContain('boom (check crashed)');
  });
});

describe('stepSummary', () => {
  it('is a Markdown checklist by section whose boxes follow the gate, with markup in findings escaped', () => {
    const checks = [
      r({ id: 'ok', status: 'pass', summary: 'fine' }),
      r({ id: 'bad', status: 'fail', summary: 'broken <script>alert(1)</script> | x', findings: [{ object: '`t`', detail: '*bold* [l](u)' }] }),
      r({ id: 'meh', status: 'warn', section: 'beyond', summary: 'so-so' }),
    ];
    const md = stepSummary(buildReport(checks, { database: 'postgres://u@h/db' }));
    expect(md).toContain('## campfire doctor: ❌ failed');
    expect(md).toContain('### Database Permission Errors');
    expect(md).toContain('- [x] ✅ `ok` pass: fine');
    expect(md).toContain('- [ ] ❌ `bad` fail: broken \\<script\\>alert(1)\\</script\\> \\| x');
    expect(md).toContain('  - \\`t\\`: \\*bold\\* \\[l\\](u)');
    expect(md).toContain('- [x] ⚠️ `meh` warn: so-so');
    const strict = stepSummary(buildReport(checks, {}, { failOn: 'warn' }));
    expect(strict).toContain('- [ ] ⚠️ `meh` warn: so-so');
    expect(strict).toContain('warnings fail this gate');
  });
});
