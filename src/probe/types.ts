/**
 * What the behavioural probe records: per role and step, what Postgres did when that role ran the
 * widget's statements (always inside a SAVEPOINT that is rolled back). Plain data, so a probe taken
 * before a fix and one taken after can be compared without a database (compare.ts).
 */

/** The probe's fixed steps, in the order they run for each role. */
export type ProbeStepId =
  | 'insert-conversation'
  | 'read-realtime-conversation'
  | 'read-conversation'
  | 'insert-message'
  | 'read-message'
  | 'update-conversation'
  | 'update-published'
  | 'delete-published';

export type ProbeCommand = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * ok: Postgres ran it and it reached the probe row (reads saw it, writes changed it).
 * no-rows: Postgres ran it without an error but row level security hid the probe row (0 rows).
 * error: Postgres raised an error (code and message are its own).
 * not-rehearsed: the probe could not run this step honestly (a NOT NULL column the guide's payload does
 *   not fill, a missing column, a lock it would have had to wait for); never counted as a failure.
 * skipped: an earlier step this one needs did not produce its probe row.
 */
export type ProbeOutcome = 'ok' | 'no-rows' | 'error' | 'not-rehearsed' | 'skipped';

export interface ProbeStep {
  step: ProbeStepId;
  /** schema-qualified table the statement targets, e.g. "public.conversations". */
  table: string;
  command: ProbeCommand;
  /** The statement exactly as sent (values as $n parameters; the probe's values are in ProbeResult). */
  statement: string;
  outcome: ProbeOutcome;
  rows?: number;
  /** SQLSTATE when outcome is error. */
  code?: string;
  /** Postgres' own message (error), or why the step was not rehearsed / skipped. */
  message?: string;
  detail?: string;
  /** Where the error came from when it was raised inside a trigger function (Postgres' CONTEXT). */
  where?: string;
}

export interface RoleProbe {
  role: string;
  /** Why the role was probed: a guide role, or the privileges it holds on the guide's tables. */
  why: string;
  /** probed, or skipped with a reason (e.g. the connecting user cannot SET ROLE to it). */
  status: 'probed' | 'skipped';
  reason?: string;
  steps: ProbeStep[];
}

/** What the probe saw of a guide table, beside the steps (rule c needs RLS; reports need the rest). */
export interface ProbeTable {
  table: string;
  exists: boolean;
  /** relkind as a word: table, partitioned table, view, foreign table, … */
  kind: string | null;
  rlsEnabled: boolean;
  published: boolean;
}

export interface ProbeResult {
  /** probed, or skipped as a whole (read-only session, standby) with the reason. */
  status: 'probed' | 'skipped';
  reason?: string;
  serverVersionNum: number;
  /** The value set as app.current_organization_id. */
  organizationId: string;
  /** True when organizationId is campfire's marked placeholder rather than a real organization. */
  organizationMarked: boolean;
  tables: ProbeTable[];
  roles: RoleProbe[];
}

export interface ProbeOptions {
  /** Organization id for app.current_organization_id and the rows' organization_id (else a marked value). */
  organizationId?: string;
  /** Only these roles (tests); default: anon, authenticated and every role with privileges on the guide's tables. */
  roles?: string[];
  /** Per-statement limit inside the probe (default 5000 ms). */
  statementTimeoutMs?: number;
  /** The probe never waits on a lock for long (default 1000 ms): a lock it cannot get is "not rehearsed". */
  lockTimeoutMs?: number;
}

/** An intended change a plan step declares: the rule "nothing that worked may fail" exempts it. */
export interface IntendedChange {
  /** Role name, or "*" for every role. */
  role: string;
  /** Schema-qualified table, e.g. "public.messages". */
  table: string;
  command: ProbeCommand;
  /** Why the plan means to change it (shown in the report). */
  why: string;
}

export type ProbeRule = 'widget-path' | 'no-regression' | 'newly-possible-without-rls';

export interface Violation {
  rule: ProbeRule;
  role: string;
  step: ProbeStepId;
  table: string;
  statement: string;
  /** What Postgres said after the steps (or what became possible). */
  code?: string;
  error?: string;
  /** One line naming role, statement and error. */
  message: string;
}
