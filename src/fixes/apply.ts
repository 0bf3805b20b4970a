import { readFile } from 'node:fs/promises';
import { isSessionLost, sessionLost } from '../errors.js';
import type { Client } from 'pg';
import { CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import type { CheckResult } from '../checks/types.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import { connect, connectionError, sessionEndedBy, type ConnectOptions } from '../db/connect.js';
import { readSnapshot } from '../db/snapshot.js';
import type { DatabaseTarget } from '../db/url.js';
import { sqlPath } from '../paths.js';
import { compareProbes, intendedChanges, probeInTransaction, type Comparison, type ProbeOptions, type ProbeResult } from '../probe/index.js';
import { checksToVerify, samePlan, type Plan } from './plan.js';
import { formatDuration } from '../duration.js';

/** The two keys of campfire's transaction-level advisory lock ("camp", "fire"): one fix at a time. */
export const FIX_LOCK_KEYS = [0x63616d70, 0x66697265] as const;

export type ApplyStatus = 'applied' | 'nothing-to-do' | 'refused' | 'verification-failed' | 'busy' | 'lock-timeout' | 'changed' | 'failed';

export interface Holder {
  pid: number;
  user: string;
  application: string;
  client: string | null;
  since?: string;
  table?: string;
  mode?: string;
}

export interface ApplyOutcome {
  status: ApplyStatus;
  message: string;
  /** The plan computed inside the transaction, under the lock: what ran (or would have). */
  plan?: Plan;
  verification: CheckResult[];
  holders: Holder[];
  /** What the behavioural probe saw before the steps and after them, and what the rules found. */
  probe?: ApplyProbe;
}

export interface ApplyProbe {
  before: ProbeResult;
  after?: ProbeResult;
  violations: Comparison['violations'];
  unjudged: string[];
}

export interface ApplyRequest {
  target: DatabaseTarget;
  config: CampfireConfig;
  connect: ConnectOptions;
  lockTimeoutMs: number;
  planner: (snap: CatalogSnapshot) => Plan;
  /** When set (the plan a person confirmed), apply stops if the catalog now plans differently. */
  expected?: Plan;
  /** Runs inside the transaction just before COMMIT, with the final plan (writes the undo file). */
  beforeCommit?: (plan: Plan) => Promise<void>;
  /** Undoes beforeCommit's effect when the transaction does not commit. */
  onRollback?: () => Promise<void>;
  /** Runs once COMMIT has succeeded (moves the undo file into place); not called on any other path. */
  afterCommit?: (plan: Plan) => Promise<void>;
  /** Test-only: milliseconds to wait inside the transaction before COMMIT (kill drills). */
  pauseBeforeCommitMs?: number;
  onPause?: () => void;
  /** The behavioural probe's settings (organization id, timeouts). */
  probe?: ProbeOptions;
  /**
   * Test-only: called at each named point inside the transaction ("lock", "plan", "step:N" before the
   * Nth step, "sql:N" before the Nth statement, "verify"); the kill drills pause there (src/fixes/test-pause.ts) and kill -9 the process.
   */
  at?: (point: string) => Promise<void>;
}

/**
 * Runs a plan in one transaction: lock_timeout, the advisory lock, a fresh snapshot and a fresh plan
 * under that lock, the behavioural probe (src/probe), the steps, the doctor checks the plan repairs on an
 * in-transaction snapshot, the probe again and its before/after rules, and COMMIT only when all pass.
 * Anything else rolls back: the database is as it was, or fully fixed.
 */
export async function applyPlan(req: ApplyRequest): Promise<ApplyOutcome> {
  const client = await connect(req.target, req.connect);
  let committed = false;
  let committing = false;
  let uncertain = false;
  let prepared = false;
  let tablesSeen: string[] = Object.values(req.config.tables).map((t) => `${req.config.schema}.${t}`);
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = ${Math.round(req.lockTimeoutMs)}`);
    // A statement waiting for a lock must meet lock_timeout (a clear "nothing changed"), not statement_timeout.
    if (req.lockTimeoutMs >= req.connect.statementTimeoutMs) {
      await client.query(`SET LOCAL statement_timeout = ${Math.round(req.lockTimeoutMs + req.connect.statementTimeoutMs)}`);
    }
    await req.at?.('lock');
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, $2) as ok', [...FIX_LOCK_KEYS]);
    if (!rows[0]?.ok) {
      const holder = await queryHolders(client, 'advisory-lock-holder.sql', [...FIX_LOCK_KEYS]);
      await client.query('ROLLBACK');
      const who = holder[0] ? ` (${describeHolder(holder[0])})` : '';
      return { status: 'busy', message: `another campfire fix is running on this database${who}: nothing was changed; wait for it to finish and run again`, verification: [], holders: holder };
    }
    await req.at?.('plan');
    const before = await readSnapshot(client, req.config);
    tablesSeen = [...new Set([...tablesSeen, ...before.tables.map((t) => `${t.schema}.${t.name}`)])];
    const plan = req.planner(before);
    if (plan.refusals.length) {
      await client.query('ROLLBACK');
      return { status: 'refused', message: 'refused: the plan needs your decision first (see above); nothing was changed', plan, verification: [], holders: [] };
    }
    if (req.expected && !samePlan(plan, req.expected)) {
      await client.query('ROLLBACK');
      return { status: 'changed', message: 'the catalog changed since the plan you confirmed: nothing was changed; run the command again to see the new plan', plan, verification: [], holders: [] };
    }
    if (!plan.steps.length) {
      await client.query('ROLLBACK');
      return { status: 'nothing-to-do', message: 'nothing to do: everything this fix repairs is already in place', plan, verification: [], holders: [] };
    }
    // The behavioural baseline: what every role can do before any step, in this transaction, rolled back.
    await req.at?.('probe:before');
    const probeBefore = await probeInTransaction(client, req.config, req.probe);
    let statement = 0;
    for (const [i, step] of plan.steps.entries()) {
      await req.at?.(`step:${i}`);
      for (const sql of step.sql) {
        await req.at?.(`sql:${statement++}`);
        await client.query(sql);
      }
    }
    await req.at?.('verify');

    const after = await readSnapshot(client, req.config);
    const ids = new Set(checksToVerify(plan));
    const verification = runChecks(CHECKS.filter((c) => ids.has(c.id)), { database: after }, req.config);
    const failed = verification.filter((r) => r.status === 'fail' || r.status === 'error');
    if (failed.length) {
      await client.query('ROLLBACK');
      return { status: 'verification-failed', message: `verification failed (${failed.map((r) => r.id).join(', ')}): rolled back, nothing was changed`, plan, verification, holders: [], probe: { before: probeBefore, violations: [], unjudged: [] } };
    }
    // The catalog checks share the planner's blind spots; the probe asks Postgres what each role can now do.
    await req.at?.('probe:after');
    const probeAfter = await probeInTransaction(client, req.config, req.probe);
    const judged = compareProbes({
      before: probeBefore, after: probeAfter, anon: req.config.roles.anon, authenticated: req.config.roles.authenticated,
      // fix-permissions is the fix that repairs the widget path: it must work afterwards. A plan that leaves
      // a decision to a person may leave it failing as it failed before, never failing in a new way.
      intended: intendedChanges(plan.steps), requireWidgetPath: plan.command === 'fix-permissions',
      allowUnchangedWidgetFailure: plan.decisions.length > 0,
    });
    const probe: ApplyProbe = { before: probeBefore, after: probeAfter, ...judged };
    if (judged.violations.length) {
      await client.query('ROLLBACK');
      const first = judged.violations.slice(0, 3).map((v) => v.message).join('; ');
      const more = judged.violations.length > 3 ? `; and ${judged.violations.length - 3} more` : '';
      return { status: 'verification-failed', message: `behavioural verification failed: ${first}${more}. Rolled back, nothing was changed`, plan, verification, holders: [], probe };
    }
    prepared = true;
    await req.beforeCommit?.(plan);
    if (req.pauseBeforeCommitMs) await pause(req.pauseBeforeCommitMs, req.onPause);
    // One turn of the event loop first: a session end the server already announced (57P01 while campfire
    // waited) is then heard before COMMIT is sent, and "nothing was committed" is certain, not a guess.
    await new Promise((resolve) => setImmediate(resolve));
    committing = true;
    await client.query('COMMIT');
    committed = true;
    // After COMMIT nothing may claim a rollback: a failure here is reported beside "applied".
    let afterCommit = '';
    try {
      await req.afterCommit?.(plan);
    } catch (err) {
      afterCommit = `; committed, but the undo script could not be moved into place (${(err as NodeJS.ErrnoException).code ?? String(err)}): it is still at its .pending name, marked as not committed; rename it without .pending`;
    }
    return { status: 'applied', message: `applied ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} and verified ${verification.length} check${verification.length === 1 ? '' : 's'} and what ${probeAfter.roles.filter((r) => r.status === 'probed').length} roles can do${afterCommit}`, plan, verification, holders: [], probe };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    const code = (err as { code?: string }).code;
    if (code === '55P03') {
      const holders = await queryHolders(client, 'lock-holders.sql', [tablesSeen]).catch(() => []);
      const who = holders.length ? `; held by ${holders.map(describeHolder).join('; ')}` : '';
      return { status: 'lock-timeout', message: `could not take a lock within --lock-timeout ${formatDuration(req.lockTimeoutMs)}: another session holds a conflicting lock${who}. Rolled back, nothing was changed; retry when it is done or raise --lock-timeout`, verification: [], holders };
    }
    // The session ended under us (pg_terminate_backend, failover): say what that means, never "crashed".
    if (code !== '57014' && isSessionLost(err)) {
      const lost = sessionLost(err, committing, req.target.display, sessionEndedBy(client));
      uncertain = lost.duringCommit;
      throw lost;
    }
    if (code === '57014' || code === 'ECONNRESET' || code === '57P01' || /Connection terminated/.test(String(err))) {
      throw connectionError(err, req.target, req.connect);
    }
    if (code && /^[0-9A-Z]{5}$/.test(code)) {
      const e = err as { message: string; detail?: string };
      return { status: 'failed', message: `the database refused a step (${code}: ${e.message}${e.detail ? `; ${e.detail}` : ''}): rolled back, nothing was changed${REFUSAL_HINTS[code] ?? ''}`, verification: [], holders: [] };
    }
    throw err;
  } finally {
    // Lost mid-COMMIT, the change may have committed: its undo script must stay.
    if (prepared && !committed && !uncertain) await req.onRollback?.().catch(() => {});
    await client.end().catch(() => {});
  }
}

/** What to do about the refusals a person can act on (the bad-input drills meet each of them). */
const REFUSAL_HINTS: Record<string, string> = {
  '42501': '. Connect as the role that owns these tables, functions and the publication (on Supabase: postgres)',
  '25006': '. The session is read-only (default_transaction_read_only, or a standby): connect to the primary with a role that may write',
};

export async function queryHolders(client: Client, file: string, params: unknown[]): Promise<Holder[]> {
  const sql = await readFile(sqlPath(file), 'utf8');
  return (await client.query<Holder>(sql, params)).rows;
}

export function describeHolder(h: Holder): string {
  const parts = [`pid ${h.pid}`, `user ${h.user}`];
  if (h.application) parts.push(`application "${h.application}"`);
  if (h.client) parts.push(`from ${h.client}`);
  if (h.table) parts.push(`${h.mode} on ${h.table}`);
  if (h.since) parts.push(`since ${h.since}`);
  return parts.join(', ');
}

/** Test hook: waits inside the open transaction; SIGUSR2 ends the wait early so tests need no timing. */
function pause(ms: number, onPause?: () => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGUSR2', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    process.on('SIGUSR2', done);
    onPause?.();
  });
}
