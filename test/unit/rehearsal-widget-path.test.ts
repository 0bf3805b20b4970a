import { describe, expect, it } from 'vitest';
import { explainingCheck } from '../../src/checks/rehearsal/explain.js';
import { rehearsalWidgetPath } from '../../src/checks/rehearsal/widget-path.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { ProbeResult, ProbeStep } from '../../src/probe/types.js';

const step = (id: ProbeStep['step'], outcome: ProbeStep['outcome'], extra: Partial<ProbeStep> = {}): ProbeStep =>
  ({ step: id, table: 'public.conversations', command: id.startsWith('insert') ? 'INSERT' : id.startsWith('read') ? 'SELECT' : 'UPDATE', statement: `-- ${id}`, outcome, ...extra });
const ok = (): ProbeStep[] => [step('insert-conversation', 'ok'), step('read-realtime-conversation', 'ok', { rows: 1 }), step('insert-message', 'ok'), step('update-conversation', 'no-rows', { rows: 0 })];
const probe = (anon: ProbeStep[], authenticated: ProbeStep[] = ok()): ProbeResult => ({
  status: 'probed', serverVersionNum: 170000, organizationId: 'org', organizationMarked: false, tables: [],
  roles: [{ role: 'anon', why: 'x', status: 'probed', steps: anon }, { role: 'authenticated', why: 'x', status: 'probed', steps: authenticated }],
});
const judge = (p: ProbeResult) => rehearsalWidgetPath.judge({ probe: p }, DEFAULT_CONFIG);
const trigger = 'PL/pgSQL function sync_realtime_conversations() line 3 at SQL statement';

describe('rehearsal.widget-path', () => {
  it('passes when both roles do the widget path (an UPDATE that RLS keeps from the row is not a failure)', () => {
    expect(judge(probe(ok())).status).toBe('pass');
  });

  it('fails with Postgres\' words and the check that explains them', () => {
    const v = judge(probe([step('insert-conversation', 'error', { code: '42501', message: 'permission denied for table realtime_conversations', where: trigger }), ...ok().slice(1)]));
    expect(v.status).toBe('fail');
    expect(v.summary).toBe('Postgres refused the widget path: anon insert-conversation: permission denied for table realtime_conversations');
    expect(v.findings?.[0]?.detail).toContain('explained by functions.security-definer');
  });

  it('a replica-identity error on a published table fails it whoever the step is', () => {
    const v = judge(probe([...ok(), step('delete-published', 'error', { code: '42P10', message: 'cannot delete from table "messages"' })]));
    expect(v.status).toBe('fail');
    expect(v.findings?.some((f) => f.detail.includes('explained by publication.replica-identity'))).toBe(true);
    // while a DELETE the role was simply never granted is no failure of the widget path
    expect(judge(probe([...ok(), step('delete-published', 'error', { code: '42501', message: 'permission denied for table messages' })])).status).toBe('pass');
  });

  it('could not rehearse: skip when nothing could be rehearsed, warn when some could; a skipped probe is a skip', () => {
    const gap = { message: 'could not rehearse: column x is NOT NULL without a default and the guide\'s payload does not fill it' };
    const none = ok().map((s) => ({ ...s, outcome: 'not-rehearsed' as const, ...gap }));
    expect(judge(probe(none, none)).status).toBe('skip');
    expect(judge(probe(none)).status).toBe('warn');
    expect(judge({ ...probe(ok()), status: 'skipped', reason: 'the server is a standby (in recovery)' })).toMatchObject({ status: 'skip', summary: 'could not rehearse: the server is a standby (in recovery)' });
  });

  it('warns when the roles cannot read back the row the trigger wrote', () => {
    const hidden = ok().map((s) => (s.step === 'read-realtime-conversation' ? { ...s, outcome: 'no-rows' as const, rows: 0 } : s));
    expect(judge(probe(hidden)).status).toBe('warn');
  });
});

describe('explainingCheck', () => {
  const t = DEFAULT_CONFIG.tables;
  it.each([
    [{ code: '42501', message: 'permission denied for table realtime_conversations', where: trigger }, 'functions.security-definer'],
    [{ code: '42501', message: 'new row violates row-level security policy for table "realtime_conversations"', where: trigger }, 'policies.realtime-conversations'],
    [{ code: '42501', message: 'new row violates row-level security policy for table "messages"' }, 'permissions.policies'],
    [{ code: '42501', message: 'permission denied for table messages' }, 'permissions.grants'],
    [{ code: '42P01', message: 'relation "realtime_conversations" does not exist', where: trigger }, 'functions.search-path'],
    [{ code: '55000', message: 'cannot update table "messages" because it does not have a replica identity and publishes updates' }, 'publication.replica-identity'],
  ])('%o → %s', (e, check) => {
    expect(explainingCheck(step('insert-conversation', 'error', e), t)).toBe(check);
  });
});
