import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import { ident as q } from './quote.js';
import { payloadGaps, readTargets, type ProbeTargets } from './targets.js';
import type { ProbeCommand, ProbeOptions, ProbeResult, ProbeStep, ProbeStepId, RoleProbe } from './types.js';

/**
 * A clearly marked organization id for app.current_organization_id when none is given: "ca4f14e0" reads
 * "campfire", and every row the probe writes carries it (and is rolled back).
 */
export const MARKED_ORGANIZATION_ID = 'ca4f14e0-0000-4000-8000-0000000000ff';
/** auth.uid() of the probe's authenticated role: marked the same way. */
export const MARKED_USER_ID = 'ca4f14e0-0000-4000-8000-0000000000aa';

/** The columns the widget's own statements fill (fixtures/app/server.mjs, the guide's /api/widget/*). */
const CONVERSATION_PAYLOAD = ['organization_id', 'customer_name', 'customer_email', 'customer', 'metadata'];
const MESSAGE_PAYLOAD = ['conversation_id', 'organization_id', 'content', 'sender_type'];

/** Postgres errors that mean "the probe could not act honestly here", not "the role may not". */
const NOT_REHEARSED: Record<string, string> = {
  '42703': 'the guide\'s statement names a column this table does not have',
  '55P03': 'a lock the probe needs is held by another session (the probe never waits long for a lock)',
  '57014': 'the statement did not finish within the probe\'s statement timeout',
  '23502': 'a NOT NULL column the guide\'s payload does not fill',
  '22P02': 'the organization id given is not a valid value for organization_id',
};

/**
 * Runs the probe inside the caller's open transaction (apply's). Everything happens under one SAVEPOINT
 * that is always rolled back: the probe's rows, its SET LOCAL ROLE and settings, its timeouts. Each role
 * gets a nested SAVEPOINT, each step another one, so one refusal never hides the next step.
 */
export async function probeInTransaction(client: ClientBase, config: CampfireConfig, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const organizationId = opts.organizationId ?? MARKED_ORGANIZATION_ID;
  await client.query('SAVEPOINT campfire_probe');
  try {
    await client.query(`SET LOCAL statement_timeout = ${Math.round(opts.statementTimeoutMs ?? 5000)}`);
    await client.query(`SET LOCAL lock_timeout = ${Math.round(opts.lockTimeoutMs ?? 1000)}`);
    const targets = await readTargets(client, config, opts.roles);
    const result: ProbeResult = {
      status: 'probed', serverVersionNum: targets.serverVersionNum, organizationId, organizationMarked: opts.organizationId === undefined,
      tables: Object.values(targets.tables).map(({ oid: _o, probeColumn: _p, quoted: _q, ...t }) => t), roles: [],
    };
    if (targets.readOnly) return { ...result, status: 'skipped', reason: targets.readOnly };
    const fixture = await probeRows(client, targets, organizationId);
    for (const r of targets.roles) {
      if (!r.canSet) {
        result.roles.push({ role: r.role, why: r.why, status: 'skipped', reason: r.reason, steps: [] });
        continue;
      }
      result.roles.push(await probeRole(client, config, targets, fixture, r.role, r.why, organizationId));
    }
    return result;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT campfire_probe');
    await client.query('RELEASE SAVEPOINT campfire_probe');
  }
}

/**
 * Opens its own transaction, probes, and always rolls back: doctor --rehearse and the tests' oracle.
 * The client must not be inside a transaction.
 */
export async function rehearse(client: ClientBase, config: CampfireConfig, opts: ProbeOptions = {}): Promise<ProbeResult> {
  await client.query('BEGIN');
  try {
    return await probeInTransaction(client, config, opts);
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}

interface Fixture {
  /** The probe's own conversation and message, written as the connecting user before any SET ROLE. */
  conversationId: string | null;
  messageId: string | null;
  /** Why there are none: every step that needs them is then "not rehearsed" with this reason. */
  reason?: string;
}

/**
 * The rows each role's reads, updates and deletes aim at, written as the connecting user (the table
 * owner on Supabase), so a role's steps do not depend on whether its own insert worked.
 */
async function probeRows(client: ClientBase, t: ProbeTargets, org: string): Promise<Fixture> {
  const conv = t.tables.conversations;
  const msg = t.tables.messages;
  if (!conv.oid) return { conversationId: null, messageId: null, reason: `${conv.table} does not exist` };
  const gap = await payloadGaps(client, conv.oid, CONVERSATION_PAYLOAD);
  if (gap) return { conversationId: null, messageId: null, reason: `${conv.table}: ${gap}` };
  const c = await attempt(client, insertConversation(conv.quoted), conversationValues(org, 'campfire-probe-fixture'));
  if ('error' in c) return { conversationId: null, messageId: null, reason: `the probe's own conversation could not be written as ${t.sessionUser}: ${c.error.message}` };
  const conversationId = String(c.rows[0]?.id);
  if (!msg.oid) return { conversationId, messageId: null, reason: `${msg.table} does not exist` };
  const mgap = await payloadGaps(client, msg.oid, MESSAGE_PAYLOAD);
  if (mgap) return { conversationId, messageId: null, reason: `${msg.table}: ${mgap}` };
  const m = await attempt(client, insertMessage(msg.quoted), messageValues(conversationId, org));
  if ('error' in m) return { conversationId, messageId: null, reason: `the probe's own message could not be written as ${t.sessionUser}: ${m.error.message}` };
  return { conversationId, messageId: String(m.rows[0]?.id) };
}

async function probeRole(client: ClientBase, config: CampfireConfig, t: ProbeTargets, fx: Fixture, role: string, why: string, org: string): Promise<RoleProbe> {
  const probe: RoleProbe = { role, why, status: 'probed', steps: [] };
  const conv = t.tables.conversations;
  const msg = t.tables.messages;
  const rc = t.tables.realtimeConversations;
  await client.query('SAVEPOINT campfire_probe_role');
  try {
    // What PostgREST does for each request (docs.postgrest.org, "Transactions": transaction-scoped
    // settings): the role and the JWT claims as set_config(…, true), so auth.uid() and auth.role() answer.
    const claims = role === config.roles.authenticated ? { role, sub: MARKED_USER_ID, aud: 'authenticated' } : { role };
    const became = await attempt(client,
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('app.current_organization_id', $3, true)`,
      [role, JSON.stringify(claims), org],
    );
    // The membership check in targets.ts should prevent this; if Postgres still refuses, say so and move on.
    if ('error' in became) return { role, why, status: 'skipped', reason: `SET ROLE ${role} refused: ${became.error.code} ${became.error.message}`, steps: [] };
    const step = (id: ProbeStepId, table: string, command: ProbeCommand, sql: string, values: unknown[], needs?: string | null, exists = true) =>
      runStep(client, probe, { id, table, command, sql, values, blocked: !exists ? `${table} does not exist` : needs === null ? fx.reason ?? 'the probe row is missing' : undefined });

    const convGap = conv.oid ? await payloadGaps(client, conv.oid, CONVERSATION_PAYLOAD) : null;
    await runStep(client, probe, {
      id: 'insert-conversation', table: conv.table, command: 'INSERT', sql: insertConversation(conv.quoted), values: conversationValues(org, 'campfire-probe'),
      blocked: !conv.oid ? `${conv.table} does not exist` : convGap ?? undefined,
    });
    await step('read-realtime-conversation', rc.table, 'SELECT', `select count(*)::int as n from ${rc.quoted} where id = $1`, [fx.conversationId], fx.conversationId, rc.exists);
    await step('read-conversation', conv.table, 'SELECT', `select count(*)::int as n from ${conv.quoted} where id = $1`, [fx.conversationId], fx.conversationId, conv.exists);
    const msgGap = msg.oid ? await payloadGaps(client, msg.oid, MESSAGE_PAYLOAD) : null;
    await runStep(client, probe, {
      id: 'insert-message', table: msg.table, command: 'INSERT', sql: insertMessage(msg.quoted), values: messageValues(fx.conversationId, org),
      blocked: !msg.oid ? `${msg.table} does not exist` : msgGap ?? (fx.conversationId === null ? fx.reason ?? 'the probe conversation is missing' : undefined),
    });
    await step('read-message', msg.table, 'SELECT', `select count(*)::int as n from ${msg.quoted} where id = $1`, [fx.messageId], fx.messageId, msg.exists);
    await step('update-conversation', conv.table, 'UPDATE', `update ${conv.quoted} set updated_at = now() where id = $1`, [fx.conversationId], fx.conversationId, conv.exists);
    // The publication's replica identity is checked when an UPDATE or DELETE starts, whatever rows it reaches.
    // Every guide table gets these steps, published or not, so a table a fix adds to the publication has a
    // "before" to compare with (its UPDATE worked before it was published, and must after).
    const published = [rc, msg, conv].filter((x) => x.exists);
    for (const x of published) {
      const id = x === msg ? fx.messageId : fx.conversationId;
      const col = q(x.probeColumn ?? 'id');
      await step('update-published', x.table, 'UPDATE', `update ${x.quoted} set ${col} = ${col} where id = $1`, [id], id);
    }
    for (const x of published) {
      const id = x === msg ? fx.messageId : fx.conversationId;
      await step('delete-published', x.table, 'DELETE', `delete from ${x.quoted} where id = $1`, [id], id);
    }
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT campfire_probe_role');
    await client.query('RELEASE SAVEPOINT campfire_probe_role');
  }
  return probe;
}

interface StepSpec { id: ProbeStepId; table: string; command: ProbeCommand; sql: string; values: unknown[]; blocked?: string }

async function runStep(client: ClientBase, probe: RoleProbe, s: StepSpec): Promise<void> {
  const base = { step: s.id, table: s.table, command: s.command, statement: s.sql };
  if (s.blocked) {
    probe.steps.push({ ...base, outcome: 'not-rehearsed', message: `could not rehearse: ${s.blocked}` });
    return;
  }
  const r = await attempt(client, s.sql, s.values);
  if ('error' in r) {
    const e = r.error;
    const why = NOT_REHEARSED[e.code];
    if (why) probe.steps.push({ ...base, outcome: 'not-rehearsed', code: e.code, message: `could not rehearse: ${why} (${e.message})`, detail: e.detail, where: e.where });
    else probe.steps.push({ ...base, outcome: 'error', code: e.code, message: e.message, detail: e.detail, where: e.where });
    return;
  }
  const rows = s.command === 'SELECT' ? Number(r.rows[0]?.n ?? 0) : r.rowCount;
  probe.steps.push({ ...base, outcome: rows > 0 ? 'ok' : 'no-rows', rows });
}

interface PgError { code: string; message: string; detail?: string; where?: string }

/** One statement under its own SAVEPOINT: an error is Postgres' answer, recorded; anything else is thrown. */
async function attempt(client: ClientBase, sql: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number } | { error: PgError }> {
  await client.query('SAVEPOINT campfire_probe_step');
  try {
    const r = await client.query(sql, values);
    await client.query('RELEASE SAVEPOINT campfire_probe_step');
    return { rows: r.rows, rowCount: r.rowCount ?? 0 };
  } catch (err) {
    const e = err as Partial<PgError>;
    if (!e.code || !/^[0-9A-Z]{5}$/.test(e.code)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT campfire_probe_step');
    await client.query('RELEASE SAVEPOINT campfire_probe_step');
    return { error: { code: e.code, message: String(e.message), detail: e.detail ?? undefined, where: e.where ?? undefined } };
  }
}

/** The widget's /api/widget/auth statement (fixtures/app/server.mjs), schema-qualified. */
function insertConversation(table: string): string {
  return `insert into ${table} (organization_id, customer_name, customer_email, customer, metadata) values ($1, $2, $3, $4, $5) returning id`;
}

function conversationValues(org: string, name: string): unknown[] {
  return [org, name, 'probe@campfire.invalid', JSON.stringify({ visitorId: name }), JSON.stringify({ source: 'campfire-probe' })];
}

/** The widget's /api/widget/messages statement. */
function insertMessage(table: string): string {
  return `insert into ${table} (conversation_id, organization_id, content, sender_type) values ($1, $2, $3, $4) returning id, content, sender_type, created_at`;
}

function messageValues(conversationId: string | null, org: string): unknown[] {
  return [conversationId, org, 'campfire probe (rolled back)', 'visitor'];
}
