import { describe, expect, it } from 'vitest';
import { campfire } from '../support/cli.js';
import { databasesPerTest } from '../support/db.js';
import { tempDir } from '../support/fix.js';
import { databaseState } from '../probe/state.js';

interface Json { checks: { id: string; status: string; summary: string; findings: { object: string; detail: string; severity?: string }[] }[]; exitCode: number }

const perTest = databasesPerTest();
const db = (state: 'broken' | 'healthy', sql?: string) => perTest(sql, state);

const rehearsal = (r: { stdout: string }) => (JSON.parse(r.stdout) as Json).checks.find((c) => c.id === 'rehearsal.widget-path')!;

describe('campfire doctor --rehearse (the built CLI)', () => {
  it('broken fixture: names Postgres\' exact error for anon, with the check that explains it, and changes nothing', async () => {
    const d = await db('broken');
    const before = await databaseState(d.url);
    const r = await campfire(['doctor', '--db-url', d.url, '--rehearse', '--json']);
    expect(r.exitCode).toBe(1);
    const c = rehearsal(r);
    expect(c.status).toBe('fail');
    expect(c.summary).toContain('anon insert-conversation: permission denied for table realtime_conversations');
    const anon = c.findings.find((f) => f.object === 'anon' && f.detail.startsWith('insert-conversation'))!;
    expect(anon.detail).toContain('42501 permission denied for table realtime_conversations');
    expect(anon.detail).toContain('explained by functions.security-definer');
    expect(anon.severity).toBe('fail');
    expect(c.findings.some((f) => f.object === 'authenticated' && f.detail.includes('42501 permission denied for table realtime_conversations'))).toBe(true);
    expect(await databaseState(d.url)).toEqual(before);
  });

  it('healthy fixture with --org-id: passes, and changes nothing', async () => {
    const d = await db('healthy');
    const before = await databaseState(d.url);
    const org = '0b6f7a52-7f44-4c55-9d7e-1a2b3c4d5e6f';
    const r = await campfire(['doctor', '--db-url', d.url, '--rehearse', '--org-id', org, '--json']);
    const c = rehearsal(r);
    expect(c.status, c.summary).toBe('pass');
    expect(c.findings.find((f) => f.object === 'rehearsal')?.detail).toBe(`app.current_organization_id = ${org}; every row was rolled back`);
    expect(r.exitCode).toBe(0);
    expect(await databaseState(d.url)).toEqual(before);
  });

  it('without --rehearse the check is skipped with the reason, and doctor stays read-only', async () => {
    const d = await db('broken');
    const r = await campfire(['doctor', '--db-url', d.url, '--json']);
    const c = rehearsal(r);
    expect(c.status).toBe('skip');
    expect(c.summary).toMatch(/^opt-in: doctor --rehearse/);
  });

  it('a read-only database is a clear skip, not a failure', async () => {
    const d = await db('healthy');
    await d.query(`alter database ${d.name} set default_transaction_read_only = on`);
    const r = await campfire(['doctor', '--db-url', d.url, '--rehearse', '--json', '--only', 'rehearsal.widget-path']);
    const c = rehearsal(r);
    expect(c.status).toBe('skip');
    expect(c.summary).toMatch(/^could not rehearse: the session is read-only/);
  });

  it('a NOT NULL column the widget does not fill: "could not rehearse", not a failure', async () => {
    const d = await db('healthy', 'alter table conversations add column visitor_token text not null');
    const r = await campfire(['doctor', '--db-url', d.url, '--rehearse', '--json', '--only', 'rehearsal.widget-path']);
    const c = rehearsal(r);
    expect(c.status).toBe('skip');
    expect(c.summary).toContain('could not rehearse: anon insert-conversation: column visitor_token is NOT NULL without a default');
    expect(r.exitCode).toBe(0);
  });

  it('an RLS refusal is reported in Postgres\' words with the policy check that explains it', async () => {
    const d = await db('healthy', 'drop policy messages_insert on messages');
    const r = await campfire(['doctor', '--db-url', d.url, '--rehearse', '--json', '--only', 'rehearsal.widget-path']);
    const c = rehearsal(r);
    expect(c.status).toBe('fail');
    const f = c.findings.find((x) => x.object === 'anon' && x.detail.startsWith('insert-message'))!;
    expect(f.detail).toContain('42501 new row violates row-level security policy for table "messages"');
    expect(f.detail).toContain('explained by permissions.policies');
  });

  it('recover --rehearse runs the rehearsal in its verify step', async () => {
    const d = await db('healthy');
    const r = await campfire(['recover', '--db-url', d.url, '--yes', '--rehearse', '--report', 'r.md'], { cwd: tempDir(), env: { NO_COLOR: '1' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/✓ rehearsal\.widget-path/);
  });
});
