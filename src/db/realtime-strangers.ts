import { randomUUID } from 'node:crypto';
import type { ClientBase, QueryResult } from 'pg';
import type { ChannelNaming } from '../client/config.js';
import type { RealtimeMessagesInfo, StrangerEvaluation } from './catalog.js';

/** pg's escapeLiteral, loaded when a database is read (short commands never load pg: test/e2e/startup-modules). */
let escapeLiteral: (value: string) => string;

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
export async function askStrangers(client: ClientBase, m: RealtimeMessagesInfo, roles: { anon: string; authenticated: string }, naming: ChannelNaming): Promise<StrangerEvaluation[]> {
  if (!m.policies.length) return [];
  escapeLiteral ??= (await import('pg')).default.escapeLiteral;
  // The app's org-wide topics (campfire.config.json "channels", else the guide's), for an organisation nobody belongs to.
  const org = randomUUID();
  const topics = naming.orgWide.map((pattern) => `${naming.prefix}${pattern.replace(/\{[^}]*\}/g, org)}`);
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
        // Every expression in one round trip; when one raises, each is asked alone to learn which.
        const all = await evaluate(client, s.role, topic, s.claims, parts.map((p) => p.expr));
        for (const [i, part] of parts.entries()) {
          const one = 'values' in all ? { values: [all.values[i]!] } : await evaluate(client, s.role, topic, s.claims, [part.expr]);
          const result = 'values' in one ? { value: one.values[0]! } : { value: null, error: one.error };
          out.push({ session: s.session, role: s.role, topic, policy: part.policy, which: part.which, ...result });
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
const probeRow = (topic: string) => `(select ${escapeLiteral(topic)}::text as topic, 'broadcast'::text as extension, null::jsonb as payload,
  null::text as event, false as private, localtimestamp as updated_at, localtimestamp as inserted_at,
  '00000000-0000-4000-8000-000000000000'::uuid as id) as messages`;

/**
 * One round trip: a savepoint, the session's settings, the expressions, and the savepoint rolled back
 * (settings made with set_config(…, true) go with it). Simple-query protocol, so values are literals.
 */
async function evaluate(client: ClientBase, role: string, topic: string, claims: object, exprs: string[]): Promise<{ values: boolean[] } | { error: string }> {
  const settings = `select set_config('role', ${escapeLiteral(role)}, true), set_config('realtime.topic', ${escapeLiteral(topic)}, true), `
    + `set_config('request.jwt.claims', ${escapeLiteral(JSON.stringify(claims))}, true), set_config('request.headers', '{}', true)`;
  const select = `select ${exprs.map((e, i) => `coalesce((${e})::boolean, false) as v${i}`).join(', ')} from ${probeRow(topic)}`;
  try {
    const results = (await client.query(`savepoint campfire_realtime_stranger; ${settings}; ${select}; rollback to savepoint campfire_realtime_stranger; release savepoint campfire_realtime_stranger`)) as unknown as QueryResult[];
    const row = results[2]!.rows[0] as Record<string, boolean>;
    return { values: exprs.map((_, i) => row[`v${i}`] === true) };
  } catch (err) {
    await client.query('rollback to savepoint campfire_realtime_stranger; release savepoint campfire_realtime_stranger');
    return { error: (err as Error).message };
  }
}
