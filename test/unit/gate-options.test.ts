import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { resolveGate } from '../../src/gate/options.js';
import { buildReport } from '../../src/report/model.js';
import type { CheckResult, Status } from '../../src/checks/types.js';

describe('gate keys in campfire.config.json', () => {
  it('accepts only, skip (arrays or comma strings) and failOn', () => {
    expect(parseConfig({ only: ['permissions', 'publication.exists'], skip: 'beyond, policies.permissive', failOn: 'warn' }).gate).toEqual({
      only: ['permissions', 'publication.exists'],
      skip: ['beyond', 'policies.permissive'],
      failOn: 'warn',
    });
    expect(parseConfig({ schema: 'public' }).gate).toBeUndefined();
  });

  it.each([
    [{ only: 3 }, '"only" must be an array of check ids or section ids'],
    [{ skip: ['a', 1] }, '"skip" must be an array of check ids or section ids'],
    [{ failOn: 'error' }, '"failOn" must be "fail" or "warn" (got "error")'],
    [{ failOn: true }, '"failOn" must be "fail" or "warn" (got true)'],
  ])('rejects %j with a clear line', (doc, message) => {
    expect(() => parseConfig(doc, 'x.json')).toThrow(UsageError);
    expect(() => parseConfig(doc, 'x.json')).toThrow(`Config file x.json: ${message}`);
  });
});

describe('resolveGate', () => {
  const env = {};
  it('defaults: fail on failures, no selection, no GitHub output', () => {
    expect(resolveGate({}, undefined, env)).toMatchObject({ failOn: 'fail', github: false, quiet: false, verbose: false, selection: {} });
  });

  it('a flag replaces the config value for its key; other keys keep the config', () => {
    const gate = resolveGate({ only: ['a,b', 'c'] }, { only: ['x'], skip: ['y'], failOn: 'warn' }, env);
    expect(gate.selection).toMatchObject({ only: ['a', 'b', 'c'], onlySource: '--only', skip: ['y'], skipSource: 'config key "skip"' });
    expect(gate.failOn).toBe('warn');
    expect(resolveGate({ failOn: 'fail' }, { failOn: 'warn' }, env).failOn).toBe('fail');
  });

  it('GitHub mode from GITHUB_ACTIONS=true or --github', () => {
    expect(resolveGate({}, undefined, { GITHUB_ACTIONS: 'true' }).github).toBe(true);
    expect(resolveGate({ github: true }, undefined, {}).github).toBe(true);
    expect(resolveGate({}, undefined, { GITHUB_ACTIONS: 'false' }).github).toBe(false);
  });

  it('--quiet with --verbose, and an empty --junit, are usage errors', () => {
    expect(() => resolveGate({ quiet: true, verbose: true }, undefined, env)).toThrow(UsageError);
    expect(() => resolveGate({ junit: ' ' }, undefined, env)).toThrow(/--junit needs a file name/);
  });
});

describe('buildReport exit code', () => {
  const r = (status: Status): CheckResult => ({ id: status, section: 'beyond', title: 't', status, summary: 's', findings: [], fix: null, durationMs: 0 });
  it.each([
    [['pass', 'warn', 'skip'], 'fail', 0],
    [['pass', 'warn', 'skip'], 'warn', 1],
    [['pass', 'skip'], 'warn', 0],
    [['pass', 'fail'], 'fail', 1],
    [['pass', 'error'], 'fail', 1],
    [['error'], 'warn', 1],
  ] as const)('%j with failOn %s exits %i', (statuses, failOn, code) => {
    const report = buildReport(statuses.map(r), {}, { failOn });
    expect(report.exitCode).toBe(code);
    expect(report.failOn).toBe(failOn);
  });
});
