/**
 * policies.realtime-messages against what Realtime itself would decide: each state's verdict is checked
 * beside the fixture server's authoriser (fixtures/realtime-server/authorize.ts), which asks real
 * Postgres as the joining role exactly as the Realtime server does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer, type Authorizer } from '../../fixtures/realtime-server/authorize.ts';
import { policiesRealtimeMessages } from '../../src/checks/database/policies-realtime-messages.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { examplePolicies } from '../../src/private-channels/policies.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { JWT_SECRET } from '../support/realtime-authorization.js';

const anon = { role: 'anon' };
const org1 = { role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001', app_metadata: { org_id: 'org-1' } };

interface State {
  name: string;
  sql: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  summary: RegExp;
  /** What Realtime decides for a read of bcast:org:org-2 (another organisation's channel). */
  anonReads: boolean;
  org1ReadsOther: boolean;
}

const ANY_ORG = "another organisation's private channel: Postgres admitted it to bcast:org:";
const STATES: State[] = [
  { name: 'RLS on, no policy', sql: '', status: 'pass', summary: /every private channel join is refused/, anonReads: false, org1ReadsOther: false },
  { name: 'RLS off', sql: 'alter table realtime.messages disable row level security', status: 'fail', summary: /row level security is off.*anon and authenticated can join every private channel/, anonReads: true, org1ReadsOther: true },
  { name: 'anon USING (true)', sql: 'create policy p on realtime.messages for select to anon using (true)', status: 'fail', summary: new RegExp(`^anyone with your publishable key \\(anon\\) can read ${ANY_ORG}`), anonReads: true, org1ReadsOther: false },
  { name: 'TO public USING (1 = 1)', sql: 'create policy p on realtime.messages for select using (1 = 1)', status: 'fail', summary: /\(anon\) can read another organisation's private channel/, anonReads: true, org1ReadsOther: true },
  { name: 'authenticated USING (true)', sql: 'create policy p on realtime.messages for select to authenticated using (true)', status: 'warn', summary: new RegExp(`^a signed-in session of no organisation .* can read ${ANY_ORG}`), anonReads: false, org1ReadsOther: true },
  { name: 'authenticated, session but no topic', sql: 'create policy p on realtime.messages for select to authenticated using (auth.uid() is not null)', status: 'warn', summary: /can read another organisation's private channel/, anonReads: false, org1ReadsOther: true },
  { name: 'authenticated, topic pattern only', sql: "create policy p on realtime.messages for select to authenticated using (realtime.topic() like 'bcast:org:%')", status: 'warn', summary: /can read another organisation's private channel/, anonReads: false, org1ReadsOther: true },
  {
    // Realtime's probe row has private = false: "public rows are readable" admits every private join.
    name: 'a branch that admits rows not marked private (text mentions topic and session)',
    sql: "create policy p on realtime.messages for select to authenticated using ((not coalesce(private, false)) or topic = ('notifications:' || auth.uid()::text))",
    status: 'warn', summary: /can read another organisation's private channel/, anonReads: false, org1ReadsOther: true,
  },
  {
    // The policy's text names neither the session nor a topic pattern; the function it calls checks membership.
    name: 'a membership function decides (static reading alone would warn)',
    sql: `create table public.org_members (org_id text, user_id uuid);
          insert into public.org_members values ('org-2', '00000000-0000-4000-8000-0000000000aa');
          grant select on public.org_members to authenticated;
          create function public.may_join(t text) returns boolean language sql stable as
            $f$ select exists (select 1 from public.org_members m where t like 'bcast:org:' || m.org_id || '%' and m.user_id = auth.uid()) $f$;
          create policy p on realtime.messages for select to authenticated using (public.may_join(realtime.topic()))`,
    status: 'pass', summary: /a stranger is refused/, anonReads: false, org1ReadsOther: false,
  },
  { name: 'restrictive only', sql: 'create policy p on realtime.messages as restrictive for select to anon, authenticated using (true)', status: 'pass', summary: /no policy admits/, anonReads: false, org1ReadsOther: false },
  { name: 'SELECT policy with a false expression', sql: 'create policy p on realtime.messages for select to anon using (false)', status: 'pass', summary: /no policy admits/, anonReads: false, org1ReadsOther: false },
  {
    name: "campfire private-channels' example (organisation claim)",
    sql: examplePolicies({ claim: 'app_metadata.org_id', topicPrefix: 'bcast:org:', role: 'authenticated' }).map((p) => p.sql).join('\n'),
    status: 'pass', summary: /authenticated can join private channels, and a stranger is refused/, anonReads: false, org1ReadsOther: false,
  },
];

let db: TestDb;
let authorizer: Authorizer;
beforeAll(async () => {
  db = await createDatabase('baseline');
  authorizer = createAuthorizer({ databaseUrl: db.url, jwtSecret: JWT_SECRET });
});
afterAll(async () => {
  await authorizer?.close();
  await db?.drop();
});

async function inState(sql: string, fn: () => Promise<void>) {
  await db.query(`alter table realtime.messages enable row level security; ${sql}`);
  try {
    await fn();
  } finally {
    await db.query(`alter table realtime.messages enable row level security; do $$ declare p record; begin
      for p in select policyname from pg_policies where schemaname = 'realtime' and tablename = 'messages' loop
        execute format('drop policy %I on realtime.messages', p.policyname);
      end loop; end $$; drop function if exists public.may_join(text); drop table if exists public.org_members`);
  }
}

describe('policies.realtime-messages agrees with what Realtime decides', () => {
  for (const s of STATES) {
    it(s.name, async () => {
      await inState(s.sql, async () => {
        const v = policiesRealtimeMessages.judge(await db.snapshot(), DEFAULT_CONFIG);
        expect(v.status).toBe(s.status);
        expect(v.summary).toMatch(s.summary);
        expect((await authorizer.rights('bcast:org:org-2', anon)).read).toBe(s.anonReads);
        expect((await authorizer.rights('bcast:org:org-2', org1)).read).toBe(s.org1ReadsOther);
        // The verdict never passes a state where anon can read another organisation's channel.
        if (s.anonReads) expect(v.status).toBe('fail');
        if (s.org1ReadsOther && !s.anonReads) expect(v.status).toBe('warn');
      });
    });
  }

  it('the example policies admit org-1 to its own channels (and name the topics they admit)', async () => {
    await inState(examplePolicies({ claim: 'app_metadata.org_id', topicPrefix: 'bcast:org:', role: 'authenticated' }).map((p) => p.sql).join('\n'), async () => {
      expect(await authorizer.rights('bcast:org:org-1:conversations', org1)).toEqual({ read: true, write: true });
      const v = policiesRealtimeMessages.judge(await db.snapshot(), DEFAULT_CONFIG);
      expect(v.findings?.map((f) => f.detail)).toEqual([
        "authenticated: read topics 'prefix bcast:org:'; a stranger asking for another organisation's channel is refused",
        "authenticated: send to topics 'prefix bcast:org:'; a stranger asking for another organisation's channel is refused",
      ]);
    });
  });
});

describe('policies.realtime-messages when Postgres cannot answer', () => {
  it('a policy function the role may not execute: unknown, read from the text, and said so', async () => {
    await inState(`create function public.secret_gate(t text) returns boolean language sql stable as $f$ select t is not null $f$;
                   revoke execute on function public.secret_gate(text) from public, authenticated;
                   create policy p on realtime.messages for select to authenticated using (public.secret_gate(realtime.topic()))`, async () => {
      const snap = await db.snapshot();
      expect(snap.realtimeStrangers!.filter((e) => e.session === 'stranger').every((e) => e.value === null && /permission denied for function secret_gate/.test(e.error!))).toBe(true);
      const v = policiesRealtimeMessages.judge(snap, DEFAULT_CONFIG);
      expect(v.status).toBe('warn');
      expect(v.summary).toMatch(/restricts the topic but not who asks .*\(Postgres could not answer for a stranger \(permission denied for function secret_gate\)/);
    });
    await db.query('drop function public.secret_gate(text)');
  });
});

describe('policies.realtime-messages on older projects', () => {
  it('no realtime.messages: "authorization not available", not a failure', async () => {
    const old = await createDatabase('healthy', 'drop table realtime.messages cascade');
    try {
      const v = policiesRealtimeMessages.judge(await old.snapshot(), DEFAULT_CONFIG);
      expect(v.status).toBe('skip');
      expect(v.summary).toMatch(/^authorization not available: realtime.messages does not exist/);
    } finally {
      await old.drop();
    }
  });
});
