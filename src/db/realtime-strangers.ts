import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import type { RealtimeMessagesInfo, StrangerEvaluation } from './catalog.js';

/**
 * Asks Postgres what each realtime.messages policy says to a stranger — anon with no session, and a
 * signed-in session that belongs to no organisation — joining another organisation's channel. Realtime
 * authorises a private join by setting `role`, `realtime.topic` and `request.jwt.claims` and reading its
 * probe row (topic, extension; private false, event null) back as that role (supabase/realtime:
 * lib/realtime/tenants/authorization.ex). Here the row is a literal rather than an INSERT, so nothing is
 * written and this runs inside doctor's READ ONLY transaction: each evaluation sits in a savepoint that is
 * always rolled back, under the session's statement timeout. An expression that errors (a function the
 * role may not execute, a column the literal row lacks) is recorded as such and judged as unknown.
 */
export async function askStrangers(client: ClientBase, m: RealtimeMessagesInfo, roles: { anon: string; authenticated: string }, topicPrefix: string): Promise<StrangerEvaluation[]> {
  if (!m.policies.length) return [];
  const org = randomUUID();
  const topics = [`${topicPrefix}${org}`, `${topicPrefix}${org}:conversations`];
  const sessions = [
    { session: 'anon' as const, role: roles.anon, claims: { role: roles.anon } },
    { session: 'stranger' as const, role: roles.authenticated, claims: { role: roles.authenticated, aud: roles.authenticated, sub: randomUUID() } },
  ];
  const parts = m.policies.flatMap((p) => (['using', 'check'] as const).filter((w) => p[w] !== null).map((which) => ({ policy: p.name, which, expr: p[which]! })));
  const out: StrangerEvaluation[] = [];
  const own = !(await inTransaction(client));
  if (own) await client.query('BEGIN READ ONLY');
  try {
    for (const s of sessions) {
      for (const topic of topics) {
        for (const part of parts) {
          out.push({ session: s.session, role: s.role, topic, policy: part.policy, which: part.which, ...(await evaluate(client, s.role, topic, s.claims, part.expr)) });
        }
      }
    }
  } finally {
    if (own) await client.query('ROLLBACK');
  }
  return out;
}

async function inTransaction(client: ClientBase): Promise<boolean> {
  try {
    await client.query('SAVEPOINT campfire_probe_txn');
    await client.query('RELEASE SAVEPOINT campfire_probe_txn');
    return true;
  } catch {
    return false;
  }
}

/** Realtime's probe row, as a literal row named like the table, so `topic` and `messages.topic` both resolve. */
const PROBE_ROW = `(select $1::text as topic, 'broadcast'::text as extension, null::jsonb as payload, null::text as event,
  false as private, localtimestamp as updated_at, localtimestamp as inserted_at, '00000000-0000-4000-8000-000000000000'::uuid as id) as messages`;

async function evaluate(client: ClientBase, role: string, topic: string, claims: object, expr: string): Promise<Pick<StrangerEvaluation, 'value' | 'error'>> {
  await client.query('SAVEPOINT campfire_realtime_stranger');
  try {
    await client.query(
      "select set_config('role', $1, true), set_config('realtime.topic', $2, true), set_config('request.jwt.claims', $3, true), set_config('request.headers', '{}', true)",
      [role, topic, JSON.stringify(claims)],
    );
    const { rows } = await client.query<{ v: boolean | null }>(`select (${expr})::boolean as v from ${PROBE_ROW}`, [topic]);
    return { value: rows[0]?.v === true };
  } catch (err) {
    return { value: null, error: (err as Error).message };
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT campfire_realtime_stranger');
    await client.query('RELEASE SAVEPOINT campfire_realtime_stranger');
  }
}
