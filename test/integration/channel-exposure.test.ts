/**
 * Who can listen, proven against real policies: the fixture Realtime server authorises private joins by
 * asking real Postgres as the joining role (fixtures/realtime-server/authorize.ts), and the probe's
 * outsider holds only the anon key.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { examplePolicies } from '../../src/private-channels/policies.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { probe, verdicts } from '../support/realtime.js';
import { sessionToken, startAuthorizingServer } from '../support/realtime-authorization.js';

let db: TestDb;
let server: RealtimeServer | undefined;
beforeAll(async () => {
  db = await createDatabase('baseline');
});
afterAll(async () => {
  await db?.drop();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await db.query(`do $$ declare p record; begin
    for p in select policyname from pg_policies where schemaname = 'realtime' and tablename = 'messages' loop
      execute format('drop policy %I on realtime.messages', p.policyname);
    end loop; end $$`);
});

const orgPolicies = () => examplePolicies({ claim: 'app_metadata.org_id', topicPrefix: 'bcast:org:', role: 'authenticated' }).map((p) => p.sql).join('\n');

describe('realtime.channel-exposure', () => {
  it("public channels (the guide's): the outsider with only the anon key hears every channel — org-wide fails, per-conversation warns", async () => {
    server = await startAuthorizingServer(db.url);
    const stats = await probe(server, { count: 5, exposure: true });
    const anon = stats.exposure!.attempts;
    expect(anon.map((a) => [a.channel, a.join.status, a.received])).toEqual([
      ['bcast:org:org-1:conv:conv-1', 'SUBSCRIBED', 3],
      ['bcast:org:org-1', 'SUBSCRIBED', 3],
      ['bcast:org:org-1:conversations', 'SUBSCRIBED', 3],
    ]);
    const v = verdicts(stats)['realtime.channel-exposure']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/anyone with your publishable key can read organisation org-1's organisation-wide events/);
    expect(v.findings.map((f) => f.severity)).toEqual(['warn', 'fail', 'fail']);
    expect(v.findings[2]!.detail).toMatch(/org-1's conversation list/);
    expect(v.advice).toMatch(/private channels/);
  });

  it('private channels with organisation-scoped policies: the app joins and delivers, the outsider and another organisation are refused', async () => {
    await db.query(orgPolicies());
    server = await startAuthorizingServer(db.url);
    const stats = await probe(server, { count: 5, private: true, accessToken: sessionToken('org-1'), exposure: true });
    for (const c of stats.channels) {
      expect([c.sender.status, c.receiver.status, c.received]).toEqual(['SUBSCRIBED', 'SUBSCRIBED', 5]);
    }
    const attempts = stats.exposure!.attempts;
    expect(attempts.filter((a) => a.as === 'anon').map((a) => a.join.reason)).toEqual([
      'Unauthorized: You do not have permissions to read from this Channel topic: bcast:org:org-1:conv:conv-1',
      'Unauthorized: You do not have permissions to read from this Channel topic: bcast:org:org-1',
      'Unauthorized: You do not have permissions to read from this Channel topic: bcast:org:org-1:conversations',
    ]);
    const cross = attempts.find((a) => a.as === 'session')!;
    expect(cross.channel).toMatch(/^bcast:org:campfire-probe-other-/);
    expect(cross.join.status).toBe('CHANNEL_ERROR');
    const v = verdicts(stats)['realtime.channel-exposure']!;
    expect(v.status).toBe('pass');
  });

  it('a session of another organisation is refused on org-1, admitted on its own', async () => {
    await db.query(orgPolicies());
    server = await startAuthorizingServer(db.url);
    const other = await probe(server, { count: 2, private: true, accessToken: sessionToken('org-2'), channels: ['org'], exposure: false });
    expect(other.channels[0]!.receiver.status).toBe('CHANNEL_ERROR');
    const own = await probe(server, { org: 'org-2', count: 2, private: true, accessToken: sessionToken('org-2'), channels: ['org'], exposure: false });
    expect(own.channels[0]!.receiver.status).toBe('SUBSCRIBED');
    expect(own.channels[0]!.received).toBe(2);
  });

  it('a policy USING (true) for anon on realtime.messages: private channels are as open as public ones', async () => {
    await db.query('create policy anyone_reads on realtime.messages for select to anon using (true)');
    await db.query(orgPolicies());
    server = await startAuthorizingServer(db.url);
    const stats = await probe(server, { count: 2, private: true, accessToken: sessionToken('org-1'), channels: ['org', 'list'], exposure: true });
    const v = verdicts(stats)['realtime.channel-exposure']!;
    expect(v.status).toBe('fail');
    expect(stats.exposure!.attempts.filter((a) => a.as === 'anon').every((a) => a.join.status === 'SUBSCRIBED' && a.received === a.sent)).toBe(true);
  });

  it('policies that ignore realtime.topic(): a session of org-1 joins another organisation\'s channel', async () => {
    await db.query(`create policy members_read on realtime.messages for select to authenticated using (true);
                    create policy members_send on realtime.messages for insert to authenticated with check (true)`);
    server = await startAuthorizingServer(db.url);
    const stats = await probe(server, { count: 2, private: true, accessToken: sessionToken('org-1'), channels: ['org'], exposure: true });
    const v = verdicts(stats)['realtime.channel-exposure']!;
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/joined another organisation's private channel/);
  });

  it('"Allow public access" off: a public join is refused with the server\'s reason', async () => {
    server = await startAuthorizingServer(db.url, true);
    const stats = await probe(server, { count: 2, channels: ['org'], exposure: true });
    expect(stats.channels[0]!.receiver).toMatchObject({ status: 'CHANNEL_ERROR', reason: 'This project only allows private channels' });
    expect(stats.exposure!.attempts[0]!.join.status).toBe('CHANNEL_ERROR');
    expect(verdicts(stats)['realtime.channel-exposure']!.status).toBe('pass');
  });
});

describe('campfire private-channels (built CLI)', () => {
  it('--write-migration writes example policies that, applied, admit a session to its own organisation only', async () => {
    const { mkdtemp, readdir, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { campfire } = await import('../support/cli.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'campfire-private-'));
    const r = await campfire(['private-channels', '--claim', 'app_metadata.org_id', '--write-migration', dir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('anyone who has the widget\'s publishable key');
    const [file] = await readdir(dir);
    expect(file).toMatch(/^\d{14}_campfire_private_channels\.sql$/);
    await db.query(await readFile(path.join(dir, file!), 'utf8'));
    server = await startAuthorizingServer(db.url);
    const own = await probe(server, { count: 2, private: true, accessToken: sessionToken('org-1'), channels: ['list'], exposure: true });
    expect(own.channels[0]!.received).toBe(2);
    expect(verdicts(own)['realtime.channel-exposure']!.status).toBe('pass');
  });

  it('bad input: one line, exit 2, nothing written', async () => {
    const { campfire } = await import('../support/cli.js');
    for (const args of [['private-channels'], ['private-channels', '--claim', "x'; drop table t; --"], ['private-channels', '--claim', 'a.b', '--topic-prefix', 'bcast:\norg:']]) {
      const r = await campfire(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
