import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CatalogSnapshot } from '../db/catalog.js';
import { gatherDatabase } from '../db/gather.js';
import { readSnapshot } from '../db/snapshot.js';
import { EXIT, UsageError } from '../errors.js';
import { combinedUndoScript, defaultUndoPath, writeNew } from '../fixes/files.js';
import { DEFAULT_POLICY_MODE, planPermissions } from '../fixes/permissions.js';
import type { Plan } from '../fixes/plan.js';
import { planPublication } from '../fixes/publication.js';
import { emitReport } from '../gate/emit.js';
import type { Io } from '../io.js';
import { scrub } from '../scrub.js';
import { RecoveryBusy, takeRecoveryLock } from '../recover/lock.js';
import { resolveRecoverOptions, type RecoverOptions, type RecoverSetup } from '../recover/options.js';
import { renderDryRun, renderStepPreview, type PreviewInput } from '../recover/preview.js';
import { askStep } from '../recover/prompt.js';
import { renderRecoveryReport } from '../recover/report.js';
import { newSteps, RUNBOOK, type Recovery, type StepRecord } from '../recover/runbook.js';
import { runDatabaseStep, runRestartStep, type StepResult } from '../recover/steps.js';
import { diagnose } from './doctor.js';
import { uniquePath } from './fix.js';
import { UNDO_PASSWORD_NOTE, undoCommand } from '../fixes/undo-command.js';
import { runFlags } from '../report/run-flags.js';
import { plural } from '../plural.js';

export type { RecoverOptions } from '../recover/options.js';

/** The guide's emergency recovery, step by step: guarded, recorded, undoable. Returns the exit code. */
export async function recover(opts: RecoverOptions, io: Io): Promise<number> {
  const cwd = process.cwd();
  const setup = await resolveRecoverOptions(opts, io, cwd);
  const c = io.chalk;
  const planners = {
    publication: (snap: CatalogSnapshot) => planPublication(snap, setup.config, { fullTables: setup.fullTables }),
    database: (snap: CatalogSnapshot) => planPermissions(snap, setup.config, { policyMode: DEFAULT_POLICY_MODE }),
  };
  const verifyInputs = [
    `database ${setup.target.display}`,
    ...(opts.src ? [`app source ${opts.src}`] : []),
    ...(opts.log?.length ? [`server logs ${opts.log.join(', ')} from the recovery's start`] : []),
    ...(setup.probeApp ? [`widget API probe ${opts.appUrl}`] : opts.appUrl ? [`no widget API probe (give --org-id to probe ${opts.appUrl})`] : []),
    ...(setup.realtimeUrl ? [`realtime probe ${setup.realtimeUrl}`] : []),
    ...(opts.rehearse ? ['the widget path rehearsed as anon and authenticated (--rehearse, rolled back)'] : []),
  ];
  const preview = (plans: PreviewInput['plans'], undoFile?: string | null): PreviewInput => ({
    plans, restartCmd: opts.restartCmd, appUrl: opts.appUrl, restartTimeoutMs: setup.restartTimeoutMs, verifyInputs, undoFile,
  });

  if (opts.dryRun) {
    const snap = await gatherDatabase(setup.target, setup.config, setup.connect);
    io.out(renderDryRun(preview({ publication: planners.publication(snap), database: planners.database(snap) }), setup.target.display, c));
    return EXIT.ok;
  }

  let lock;
  try {
    lock = await takeRecoveryLock(setup.target, setup.connect);
  } catch (err) {
    if (!(err instanceof RecoveryBusy)) throw err;
    // It names the other session's application_name, which any client can set to anything: scrubbed.
    io.err(`${c.red('error:')} ${scrub(err.message)}\n`);
    return EXIT.usage;
  }

  const record: Recovery = {
    startedAt: new Date().toISOString(), user: whoAmI(), host: os.hostname(), database: setup.target.display,
    commandLine: scrub(['campfire', ...process.argv.slice(2)].map(shellWord).join(' ')), mode: opts.yes ? 'yes' : 'interactive',
    undoFile: null, reportFile: opts.report ? setup.reportFile : uniquePath(setup.reportFile), steps: newSteps(), decisions: [], notes: [], exitCode: EXIT.failed,
  };
  // Ctrl-C: the current step ends the way it would have (a transaction commits or rolls back whole), then we stop.
  const abort = new AbortController();
  const onSigint = () => {
    if (!abort.signal.aborted) io.err(`\n${c.yellow('Interrupted: finishing the current step (it commits or rolls back whole), then stopping and writing the report.')}\n`);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    io.out(`${c.bold(`campfire recover — ${setup.target.display}`)}\nRecovery lock taken (session pid ${lock.pid}): no other campfire recover can run on this database until this one ends.\n\n`);
    // The pre-recovery state, read once: both plans, shown to the person and written as one undo script.
    await lock.client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await readSnapshot(lock.client, setup.config);
    await lock.client.query('ROLLBACK');
    const plans = { publication: planners.publication(snap), database: planners.database(snap) };
    record.decisions = [...plans.publication.refusals, ...plans.publication.decisions, ...plans.database.refusals, ...plans.database.decisions];
    record.notes = [...plans.publication.notes, ...plans.database.notes];
    if (plans.publication.steps.length || plans.database.steps.length) {
      const undoFile = setup.undoFile ?? uniquePath(defaultUndoPath(cwd, 'recover'));
      const script = combinedUndoScript([plans.publication, plans.database], setup.target.display, `campfire recover started at ${record.startedAt}`, 'recover');
      await writeNew(undoFile, script).catch((err) => { throw fileError(err, 'undo script', undoFile, '--undo-file'); });
      record.undoFile = undoFile;
      io.out(`Pre-recovery state saved as one undo script: ${undoFile}\n\n`);
    }
    if (record.decisions.length) {
      // Said before anything runs, so nobody expects the recovery to fix them.
      io.out(`${c.yellow.bold('Recovery will not fix these — they need your decision:')}\n${record.decisions.map((d) => c.yellow(`  ! ${d.object}: ${d.detail}`)).join('\n')}\n\n`);
    }
    // The record exists before the first change and is brought up to date after every step: a run that is
    // killed outright still leaves one.
    await saveReport(record, true).catch((err) => { throw fileError(err, 'incident report', record.reportFile, '--report'); });
    // The lock lives as long as its session: if that session is gone (terminated, network), stop rather
    // than run a step another recovery could interleave with.
    const lockHeld = () => lock.client.query('select 1').then(() => true, () => false);
    await runSteps(record, setup, opts, io, plans, preview(plans, record.undoFile), planners, abort.signal, lockHeld);
  } finally {
    process.off('SIGINT', onSigint);
    await lock.release();
  }
  return finish(record, io);
}

async function runSteps(record: Recovery, setup: RecoverSetup, opts: RecoverOptions, io: Io, plans: PreviewInput['plans'],
  preview: PreviewInput, planners: Record<'publication' | 'database', (s: CatalogSnapshot) => Plan>, signal: AbortSignal,
  lockHeld: () => Promise<boolean>): Promise<void> {
  const c = io.chalk;
  for (const step of record.steps) {
    if (signal.aborted) return stop(record, step, 'interrupted (Ctrl-C) before this step');
    io.out(renderStepPreview(step.key, preview, c));
    const manual = step.key === 'client' || (step.key === 'restart' && !opts.restartCmd);
    let answer: 'yes' | 'skip' | 'abort' = 'yes';
    if (!opts.yes) answer = await askStep(manual ? `Step ${step.n}: is it done?` : `Run step ${step.n}?`);
    if (signal.aborted || answer === 'abort') return stop(record, step, signal.aborted ? 'interrupted (Ctrl-C) at the prompt of this step' : `aborted at the prompt of step ${step.n}`);
    if (answer === 'skip') {
      Object.assign(step, { status: 'skipped', message: 'skipped at the prompt', startedAt: now(), endedAt: now() });
      io.out(`${c.yellow(`– step ${step.n} skipped`)}\n\n`);
      await saveReport(record).catch((err: Error) => io.err(`warning: could not update the incident report ${record.reportFile}: ${err.message}\n`));
      continue;
    }
    if (!(await lockHeld())) return stop(record, step, 'the recovery lock was lost (its database session ended)');
    step.startedAt = now();
    const result = await runStep(step, record, setup, opts, io, plans, planners, signal).catch((err: unknown): StepResult => {
      // A lost connection (UsageError) or anything unexpected: the step's transaction is rolled back by
      // applyPlan or by the server; record it and stop, so the report is still written.
      const message = err instanceof UsageError ? err.message : `campfire error: ${(err as Error).message ?? String(err)}`;
      return { status: 'failed', message };
    });
    Object.assign(step, result, { endedAt: now() });
    const ok = step.status !== 'failed';
    // The terminal and the incident report show the same verdict: both come from step.status.
    const good = ok && step.status !== 'still-failing';
    io.out(`${good ? c.green(`✓ step ${step.n}: ${step.status}`) : c.red(`✗ step ${step.n}: ${step.status}`)} — ${step.message}\n\n`);
    if (!ok) return stop(record, undefined, `step ${step.n} (${step.title}) failed: ${step.message}`);
    await saveReport(record).catch((err: Error) => io.err(`warning: could not update the incident report ${record.reportFile}: ${err.message}\n`));
  }
}

async function runStep(step: StepRecord, record: Recovery, setup: RecoverSetup, opts: RecoverOptions, io: Io, plans: PreviewInput['plans'],
  planners: Record<'publication' | 'database', (s: CatalogSnapshot) => Plan>, signal: AbortSignal): Promise<StepResult> {
  const pauseMs = Number(io.env.CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS ?? 0) || 0;
  let result: StepResult;
  switch (step.key) {
    case 'publication':
    case 'database':
      result = await runDatabaseStep({ io, target: setup.target, config: setup.config, connect: setup.connect, lockTimeoutMs: setup.lockTimeoutMs, planner: planners[step.key], expected: plans[step.key], pauseBeforeCommitMs: pauseMs });
      break;
    case 'restart':
      result = await runRestartStep({ io, command: opts.restartCmd, appUrl: opts.appUrl, timeoutMs: setup.restartTimeoutMs, confirmedManual: !opts.yes, signal });
      break;
    case 'client':
      result = opts.yes
        ? { status: 'manual', message: 'instructions printed; --yes cannot confirm people did it' }
        : { status: 'done', message: 'confirmed at the prompt' };
      break;
    case 'verify':
      result = await verify(record, setup, opts, io);
      break;
  }
  return result;
}

/** Marks the rest as not run and says why the runbook stopped. */
function stop(record: Recovery, from: StepRecord | undefined, why: string): void {
  record.stopped = `${why}. ${done(record)}`;
  const start = from ? from.n : record.steps.findIndex((s) => s.status === 'failed') + 2;
  for (const s of record.steps.filter((s) => s.n >= start && s.status === 'not-run')) s.message = `not run: ${why}`;
}

function done(record: Recovery): string {
  const ran = record.steps.filter((s) => s.status !== 'not-run' && s.status !== 'failed').map((s) => `${s.n} ${s.status}`);
  return ran.length ? `Already done before stopping: ${ran.join(', ')}.` : 'Nothing had been done yet.';
}

async function verify(record: Recovery, setup: RecoverSetup, opts: RecoverOptions, io: Io): Promise<StepResult> {
  const report = await diagnose(
    { dbUrl: setup.rawUrl, config: opts.config, connectTimeout: opts.connectTimeout, statementTimeout: opts.statementTimeout, src: opts.src,
      supabaseUrl: opts.supabaseUrl, anonKey: opts.anonKey, org: opts.org, conv: opts.conv, maxLatencyMs: opts.maxLatencyMs, bindings: opts.bindings,
      // Logs count from the recovery's start: what the broken system logged before it is history.
      log: opts.log, since: record.startedAt, ...(setup.probeApp ? { appUrl: opts.appUrl, orgId: opts.orgId } : {}),
      ...(opts.rehearse ? { rehearse: true, orgId: opts.orgId } : {}) },
    io, { config: setup.config, gate: setup.gate },
  );
  record.checklist = report;
  await emitReport(report, setup.gate, io, 'campfire recover: final checklist', runFlags(opts));
  const failing = report.checks.filter((r) => r.status === 'fail' || r.status === 'error' || (report.failOn === 'warn' && r.status === 'warn'));
  return report.exitCode === 0
    ? { status: 'done', message: `the checklist passes (${report.summary.pass} passed, ${plural(report.summary.warn, 'warning')}, ${report.summary.skip} skipped)` }
    : { status: 'still-failing', message: `the checklist still fails: ${failing.map((r) => r.id).join(', ')}` };
}

async function finish(record: Recovery, io: Io): Promise<number> {
  const c = io.chalk;
  record.endedAt = now();
  const verified = record.steps.find((s) => s.key === 'verify')!;
  record.exitCode = !record.stopped && verified.status === 'done' && record.checklist?.exitCode === 0 ? EXIT.ok : EXIT.failed;
  if (!record.stopped && verified.status === 'skipped') record.stopped = 'the verification step was skipped: the recovery is not verified.';
  await saveReport(record).catch((err: Error) => io.err(`${c.red('error:')} could not write the incident report ${record.reportFile}: ${err.message}\n`));
  const lines = ['', c.bold('Recovery summary')];
  for (const s of record.steps) lines.push(`  ${s.n}. ${s.title}: ${s.status}`);
  if (record.stopped) lines.push('', c.red(`Stopped: ${record.stopped}`));
  if (record.decisions.length) {
    lines.push('', c.yellow.bold('Recovery cannot fix these — they need your decision:'));
    for (const d of record.decisions) lines.push(c.yellow(`  ! ${d.object}: ${d.detail}`));
  }
  const failing = record.checklist?.checks.filter((r) => r.status === 'fail' || r.status === 'error') ?? [];
  if (failing.length) lines.push('', c.red(`Still failing: ${failing.map((r) => r.id).join(', ')}`));
  lines.push('', record.exitCode === 0 ? c.green('Recovered: the final checklist passes.') : c.red('Not recovered: see above.'));
  if (record.undoFile) lines.push(`Undo script (the state before this recovery): ${record.undoFile}`, `  To undo: ${undoCommand(record.undoFile, record.database)}`, `  (${UNDO_PASSWORD_NOTE})`);
  lines.push(`Incident report: ${path.relative(process.cwd(), record.reportFile) || record.reportFile}`);
  io.out(`${lines.join('\n')}\n`);
  return record.exitCode;
}

const now = () => new Date().toISOString();

async function saveReport(record: Recovery, first = false): Promise<void> {
  if (first) await writeNew(record.reportFile, renderRecoveryReport(record));
  else await writeFile(record.reportFile, renderRecoveryReport(record));
}

/** A file recover must write before it changes anything: a path it cannot write is the user's to fix (exit 2). */
function fileError(err: unknown, what: string, file: string, flag: string): UsageError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  return new UsageError(`Cannot write the ${what} to ${file} (${code}): give a writable path with ${flag}. Nothing was changed.`);
}

function whoAmI(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Quotes a word for the report's command line only when it needs it. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
