import { describe, expect, it } from 'vitest';
import { compareProbes } from '../../src/probe/compare.js';
import type { ProbeResult, ProbeStep, RoleProbe } from '../../src/probe/types.js';

const s = (step: ProbeStep['step'], table: string, command: ProbeStep['command'], outcome: ProbeStep['outcome'], extra: Partial<ProbeStep> = {}): ProbeStep =>
  ({ step, table: `public.${table}`, command, statement: `${command.toLowerCase()} … ${table}`, outcome, ...extra });
const denied = { code: '42501', message: 'permission denied for table realtime_conversations' };
const role = (name: string, steps: ProbeStep[]): RoleProbe => ({ role: name, why: 'test', status: 'probed', steps });
const result = (roles: RoleProbe[], rls: Record<string, boolean> = {}): ProbeResult => ({
  status: 'probed', serverVersionNum: 170000, organizationId: 'x', organizationMarked: true, roles,
  tables: ['conversations', 'messages', 'realtime_conversations'].map((t) => ({ table: `public.${t}`, exists: true, kind: 'table', rlsEnabled: rls[t] ?? true, published: false })),
});
const widget = (conv: ProbeStep['outcome'], msg: ProbeStep['outcome'] = 'ok') => [
  s('insert-conversation', 'conversations', 'INSERT', conv, conv === 'error' ? denied : {}), s('insert-message', 'messages', 'INSERT', msg)];
const cmp = (before: ProbeResult, after: ProbeResult, intended = []) => compareProbes({ before, after, anon: 'anon', authenticated: 'authenticated', intended });

describe('the probe rules', () => {
  it('(a) the widget path as anon must work after the steps, and the violation names role, statement and error', () => {
    const { violations } = cmp(result([role('anon', widget('error'))]), result([role('anon', widget('error'))]));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: 'widget-path', role: 'anon', step: 'insert-conversation', code: '42501' });
    expect(violations[0]!.message).toContain('anon: insert … conversations → 42501 permission denied for table realtime_conversations');
  });

  it('(a) passes once the widget path works, and a path it could not rehearse is reported as unjudged, not passed', () => {
    expect(cmp(result([role('anon', widget('error'))]), result([role('anon', widget('ok'))])).violations).toEqual([]);
    const c = cmp(result([role('anon', widget('ok'))]), result([role('anon', widget('not-rehearsed', 'not-rehearsed'))]));
    expect(c.violations).toEqual([]);
    expect(c.unjudged).toHaveLength(2);
  });

  it('(b) what worked before may not fail after, for any role, unless a step declares it', () => {
    const before = result([role('anon', widget('ok')), role('app_writer', [s('insert-message', 'messages', 'INSERT', 'ok')])]);
    const after = result([role('anon', widget('ok')), role('app_writer', [s('insert-message', 'messages', 'INSERT', 'error', { code: '42501', message: 'new row violates row-level security policy for table "messages"' })])]);
    const { violations } = cmp(before, after);
    expect(violations.map((v) => [v.rule, v.role, v.error])).toEqual([['no-regression', 'app_writer', 'new row violates row-level security policy for table "messages"']]);
    expect(cmp(before, after, [{ role: 'app_writer', table: 'public.messages', command: 'INSERT', why: 'revoked on purpose' }] as never).violations).toEqual([]);
    // a read that RLS newly hides is a regression too
    const hidden = result([role('anon', [...widget('ok'), s('read-message', 'messages', 'SELECT', 'no-rows', { rows: 0 })])]);
    const seen = result([role('anon', [...widget('ok'), s('read-message', 'messages', 'SELECT', 'ok', { rows: 1 })])]);
    expect(cmp(seen, hidden).violations.map((v) => v.rule)).toEqual(['no-regression']);
  });

  it('(c) nothing may become newly possible for anon/authenticated on a table without RLS', () => {
    const before = result([role('anon', [...widget('ok'), s('update-published', 'messages', 'UPDATE', 'error', { code: '42501', message: 'permission denied for table messages' })])], { messages: false });
    const after = result([role('anon', [...widget('ok'), s('update-published', 'messages', 'UPDATE', 'ok', { rows: 1 })])], { messages: false });
    expect(cmp(before, after).violations.map((v) => [v.rule, v.role, v.table])).toEqual([['newly-possible-without-rls', 'anon', 'public.messages']]);
    // the same change on a table with RLS is the policies' business, not this rule's
    const withRls = (r: ProbeResult) => ({ ...r, tables: r.tables.map((t) => ({ ...t, rlsEnabled: true })) });
    expect(cmp(withRls(before), withRls(after)).violations).toEqual([]);
    // other roles may gain writes (service_role, an owner): the rule is about the API roles
    const other = (r: ProbeResult) => ({ ...r, roles: [...r.roles, { ...r.roles[0]!, role: 'worker' }] });
    expect(cmp(other(before), other(after)).violations).toHaveLength(1);
  });

  it('a probe that could not run judges nothing and says why', () => {
    const skipped: ProbeResult = { ...result([]), status: 'skipped', reason: 'the server is a standby' };
    expect(cmp(result([]), skipped)).toEqual({ violations: [], unjudged: ['the probe could not run: the server is a standby'] });
  });
});

describe('the probe\'s identifier quoting', () => {
  it('is exactly pg\'s escapeIdentifier (the probe avoids loading pg for doctor runs without a database)', async () => {
    const pg = (await import('pg')).default;
    const { ident } = await import('../../src/probe/quote.js');
    for (const name of ['conversations', 'Con"ver"sations', 'x"; drop table t; --', 'ü spaces', '""']) expect(ident(name)).toBe(pg.escapeIdentifier(name));
  });
});
