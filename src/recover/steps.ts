import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import type { ConnectOptions } from '../db/connect.js';
import type { DatabaseTarget } from '../db/url.js';
import { SessionLostError, UsageError } from '../errors.js';
import { applyPlan } from '../fixes/apply.js';
import { forwardSql, type Plan } from '../fixes/plan.js';
import type { Io } from '../io.js';
import { scrub } from '../scrub.js';
import { spinner } from '../spinner.js';
import { runRestart, waitForApp } from './restart.js';
import type { StepRecord } from './runbook.js';

/** What a step's run decided; the runbook stops at the first `failed`. */
export type StepResult = Pick<StepRecord, 'status' | 'message'> & Partial<Pick<StepRecord, 'sql' | 'command' | 'output'>>;

export interface DatabaseStepInput {
  io: Io;
  target: DatabaseTarget;
  config: CampfireConfig;
  connect: ConnectOptions;
  lockTimeoutMs: number;
  planner: (snap: CatalogSnapshot) => Plan;
  /** The plan shown and written into the undo script: apply refuses if the catalog now plans otherwise. */
  expected: Plan;
  pauseBeforeCommitMs: number;
}

/**
 * A database step is the fix command's transactional apply, unchanged: its own transaction, lock_timeout,
 * the fix lock, re-plan under the lock, verification, COMMIT or ROLLBACK. So the step is fully done or not
 * done at all, and a Ctrl-C meanwhile only takes effect once it has committed or rolled back.
 */
export async function runDatabaseStep(input: DatabaseStepInput): Promise<StepResult> {
  const { io } = input;
  const spin = spinner(io, `Applying ${input.expected.command} to ${input.target.display}`);
  try {
    const outcome = await applyPlan({
      target: input.target, config: input.config, connect: input.connect, lockTimeoutMs: input.lockTimeoutMs,
      planner: input.planner, expected: input.expected, pauseBeforeCommitMs: input.pauseBeforeCommitMs,
      onPause: () => io.err(`campfire: test pause before COMMIT (pid ${process.pid})\n`),
    });
    if (outcome.status === 'applied') return { status: 'done', message: outcome.message, sql: forwardSql(outcome.plan!) };
    if (outcome.status === 'nothing-to-do') return { status: 'nothing-to-do', message: outcome.message };
    if (outcome.status === 'changed') {
      return { status: 'failed', message: 'the catalog changed since recovery planned this step (someone else changed it meanwhile): rolled back, nothing was changed by this step; run recover again to plan afresh' };
    }
    return { status: 'failed', message: scrub(outcome.message) };
  } catch (err) {
    // A lost connection or timeout: applyPlan rolled back (or the server did, with the session).
    if (err instanceof SessionLostError) return { status: 'failed', message: err.message };
    if (err instanceof UsageError) return { status: 'failed', message: `${err.message} This step was rolled back.` };
    throw err;
  } finally {
    spin.stop();
  }
}

export interface RestartStepInput {
  io: Io;
  command?: string;
  appUrl?: string;
  timeoutMs: number;
  /** A person confirmed a manual restart (TTY); false under --yes. */
  confirmedManual: boolean;
  signal: AbortSignal;
}

/** Runs --restart-cmd (or records the manual restart), then waits for --app-url to answer again. */
export async function runRestartStep(input: RestartStepInput): Promise<StepResult> {
  const { io } = input;
  if (!input.command) {
    if (!input.confirmedManual) return { status: 'skipped', message: 'no --restart-cmd: restarting the server is a manual step, and --yes cannot confirm it was done. Restart the server yourself.' };
    const wait = input.appUrl ? await waitForApp(input.appUrl, input.timeoutMs, input.signal) : undefined;
    if (wait && !wait.ok) return { status: 'failed', message: `restarted by hand (confirmed at the prompt), but ${wait.message}` };
    return { status: 'done', message: `restarted by hand (confirmed at the prompt)${wait ? `; ${wait.message}` : ''}` };
  }
  const c = io.chalk;
  // The command line may carry credentials (PGPASSWORD=…, a Bearer header): shown and reported scrubbed.
  const command = scrub(input.command);
  io.out(c.dim(`$ ${command}\n`));
  let atLineStart = true;
  let result: Awaited<ReturnType<typeof runRestart>>;
  try {
    result = await runRestart(input.command, input.timeoutMs, (text) => {
      // Indented, so the command's own lines stand apart from campfire's.
      const lines = text.split('\n');
      const shown = lines.map((l, i) => (i === 0 && !atLineStart) || (i === lines.length - 1 && l === '') ? l : `  │ ${l}`).join('\n');
      atLineStart = text.endsWith('\n');
      io.out(shown);
    });
  } catch (err) {
    // The command was started: the report must say so, never "not run".
    return { status: 'failed', message: `the restart command was started, but campfire could not follow it (${scrub(String((err as Error)?.message ?? err))}); check whether the server restarted before running recover again`, command };
  }
  if (!atLineStart) io.out('\n');
  const record = { command, output: result.output };
  if (!result.ok) return { status: 'failed', message: `${result.message}; the runbook stops here, before the database step`, ...record };
  if (!input.appUrl) return { status: 'done', message: `${result.message} (no --app-url: campfire did not wait for the app to answer)`, ...record };
  const spin = spinner(io, `Waiting for ${input.appUrl} to answer`);
  const wait = await waitForApp(input.appUrl, input.timeoutMs, input.signal).finally(() => spin.stop());
  if (!wait.ok) return { status: 'failed', message: `${result.message}, but ${wait.message}; the runbook stops here`, ...record };
  return { status: 'done', message: `${result.message}; ${wait.message}`, ...record };
}
