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

const STATES: State[] = [
  { name: 'RLS on, no policy', sql: '', status: 'pass', summary: /every private channel join is refused/, anonReads: false, org1ReadsOther: false },
  { name: 'RLS off', sql: 'alter table realtime.messages disable row level security', status: 'fail', summary: /row level security is off.*anon and authenticated can join every private channel/, anonReads: true, org1ReadsOther: true },
  { name: 'anon USING (true)', sql: 'create policy p on realtime.messages for select to anon using (true)', status: 'fail', summary: /anyone with your publishable key \(anon\) can read every private channel: the policy admits every row/, anonReads: true, org1ReadsOther: false },
  { name: 'TO public USING (1 = 1)', sql: 'create policy p on realtime.messages for select using (1 = 1)', status: 'fail', summary: /\(anon\) can read every private channel: the policy admits every row/, anonReads: true, org1ReadsOther: true },
  { name: 'authenticated USING (true)', sql: 'create policy p on realtime.messages for select to authenticated using (true)', status: 'warn', summary: /every authenticated session .* can read every private channel/, anonReads: false, org1ReadsOther: true },
  { name: 'authenticated, session but no topic', sql: 'create policy p on realtime.messages for select to authenticated using (auth.uid() is not null)', status: 'warn', summary: /never looks at realtime.topic\(\)/, anonReads: false, org1ReadsOther: true },
  { name: 'authenticated, topic pattern only', sql: "create policy p on realtime.messages for select to authenticated using (realtime.topic() like 'bcast:org:%')", status: 'warn', summary: /topics 'bcast:org:%': the policy restricts the topic but not who asks/, anonReads: false, org1ReadsOther: true },
  { name: 'restrictive only', sql: 'create policy p on realtime.messages as restrictive for select to anon, authenticated using (true)', status: 'pass', summary: /no policy admits/, anonReads: false, org1ReadsOther: false },
  { name: 'SELECT policy with a false expression', sql: 'create policy p on realtime.messages for select to anon using (false)', status: 'pass', summary: /no policy admits/, anonReads: false, org1ReadsOther: false },
  {
    name: "campfire private-channels' example (organisation claim)",
    sql: examplePolicies({ claim: 'app_metadata.org_id', topicPrefix: 'bcast:org:', role: 'authenticated' }).map((p) => p.sql).join('\n'),
    status: 'pass', summary: /every policy that admits authenticated ties the topic to the session/, anonReads: false, org1ReadsOther: false,
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
      end loop; end $$`);
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
        "authenticated: read topics 'prefix bcast:org:', tied to the session (topic and claims)",
        "authenticated: send to topics 'prefix bcast:org:', tied to the session (topic and claims)",
      ]);
    });
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
