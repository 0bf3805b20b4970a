import { existsSync, statSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { loadConfig, type CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import { gatherDatabase } from '../db/gather.js';
import { databaseUrlFrom, parseDatabaseUrl } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { EXIT, SessionLostError, UsageError } from '../errors.js';
import { applyPlan, type ApplyOutcome } from '../fixes/apply.js';
import { defaultUndoPath, migrationPath, migrationScript, removeQuietly, undoScript, writeNew } from '../fixes/files.js';
import { checksToVerify, type FixCommand, type Plan } from '../fixes/plan.js';
import { testPauses } from '../fixes/test-pause.js';
import { renderOutcome, renderPlan } from '../fixes/render.js';
import { renderApplyProbe } from '../probe/render.js';
import { markPending, pendingPath } from '../fixes/pending-undo.js';
import type { Io } from '../io.js';
import { scrub } from '../scrub.js';
import { spinner } from '../spinner.js';
import { VERSION } from '../version.js';
import { plural } from '../plural.js';

export interface FixOptions {
  dbUrl?: string;
  config?: string;
  json?: boolean;
  apply?: boolean;
  yes?: boolean;
  lockTimeout: string;
  undoFile?: string;
  writeMigration?: string;
  connectTimeout: string;
  statementTimeout: string;
}

export type Planner = (snap: CatalogSnapshot, config: CampfireConfig) => Plan;

/** The one document --json prints. */
export interface FixReport {
  tool: 'campfire';
  version: string;
  command: FixCommand;
  target: { database: string };
  mode: 'dry-run' | 'apply';
  plan: Plan & { verifies: string[] };
  outcome: Omit<ApplyOutcome, 'plan' | 'status'> & { status: ApplyOutcome['status'] | 'planned' };
  undoFile: string | null;
  migrationFile: string | null;
  exitCode: number;
}

/** Shared shell of fix-publication and fix-permissions: plan (dry run) or apply, then report. */
export async function runFix(command: FixCommand, opts: FixOptions, io: Io, planner: Planner, precheck?: (c: CampfireConfig) => void): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(opts.config);
  precheck?.(config);
  const connectOpts = {
    connectTimeoutMs: parseDuration(opts.connectTimeout, '--connect-timeout'),
    statementTimeoutMs: parseDuration(opts.statementTimeout, '--statement-timeout'),
  };
  const lockTimeoutMs = parseDuration(opts.lockTimeout, '--lock-timeout');
  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  if (!rawUrl) throw new UsageError(`No database to fix: pass --db-url postgres://… or set DATABASE_URL (or SUPABASE_DB_URL).`);
  const target = parseDatabaseUrl(rawUrl);
  const interactive = io.isTTY && Boolean(process.stdin.isTTY);
  if (opts.apply && !opts.yes && !interactive) {
    throw new UsageError('--apply without a terminal needs --yes (campfire never waits for input it cannot get). Nothing was changed.');
  }
  if (!opts.apply && (opts.yes || opts.undoFile)) {
    throw new UsageError(`${opts.yes ? '--yes' : '--undo-file'} only makes sense with --apply (without it campfire only prints the plan).`);
  }
  if (opts.undoFile && existsSync(path.resolve(cwd, opts.undoFile))) {
    throw new UsageError(`--undo-file ${opts.undoFile} already exists: campfire never overwrites an undo script; pick a new name.`);
  }
  if (opts.writeMigration && existsSync(opts.writeMigration) && !isDir(opts.writeMigration)) {
    throw new UsageError(`--write-migration ${opts.writeMigration} is a file: give the migrations folder (e.g. supabase/migrations).`);
  }
  // Checked before connecting: an undo script that cannot be written stops the apply, and a migration that
  // cannot be written after COMMIT would leave a change without its file.
  if (opts.writeMigration) assertCanCreate(path.resolve(cwd, opts.writeMigration), '--write-migration');
  if (opts.apply) assertCanCreate(path.dirname(opts.undoFile ? path.resolve(cwd, opts.undoFile) : defaultUndoPath(cwd, command)), opts.undoFile ? '--undo-file' : 'the undo folder');
  const plannerFor = (snap: CatalogSnapshot) => planner(snap, config);
  const report: FixReport = {
    tool: 'campfire', version: VERSION, command, target: { database: target.display }, mode: opts.apply ? 'apply' : 'dry-run',
    plan: { command, steps: [], decisions: [], refusals: [], notes: [], verifies: [] },
    outcome: { status: 'planned', message: '', verification: [], holders: [] }, undoFile: null, migrationFile: null, exitCode: EXIT.ok,
  };
  const setPlan = (p: Plan) => { report.plan = { ...p, verifies: checksToVerify(p) }; };
  const c = io.chalk;

  let expected: Plan | undefined;
  if (!opts.apply || !opts.yes) {
    const spin = spinner(io, `Reading the catalog of ${target.display}`);
    let snap: CatalogSnapshot;
    try {
      snap = await gatherDatabase(target, config, connectOpts);
    } finally {
      spin.stop();
    }
    const plan = plannerFor(snap);
    setPlan(plan);
    if (!opts.apply) {
      if (plan.refusals.length) report.outcome = { status: 'refused', message: 'refused: choose a way out for the tables above; nothing was changed', verification: [], holders: [] };
      else report.outcome = { status: 'planned', message: plan.steps.length ? `dry run: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} planned, nothing changed (add --apply to run them)` : 'nothing to do', verification: [], holders: [] };
      if (opts.writeMigration && plan.steps.length && !plan.refusals.length) report.migrationFile = await writeMigration(opts.writeMigration, command, plan, target.display);
      report.exitCode = plan.refusals.length ? EXIT.failed : EXIT.ok;
      return finish(io, opts, report, () => `${c.bold(`campfire ${command} — ${target.display} (dry run)`)}\n${renderPlan(plan, c)}\n${report.outcome.message}\n${report.migrationFile ? `Migration: ${report.migrationFile}\n` : ''}`);
    }
    // Interactive apply: show the plan, ask, then insist the catalog still plans the same under the lock.
    io.err(`${c.bold(`campfire ${command} — ${target.display}`)}\n${renderPlan(plan, c)}`);
    if (!plan.steps.length || plan.refusals.length) {
      report.outcome = plan.refusals.length
        ? { status: 'refused', message: 'refused: choose a way out for the tables above; nothing was changed', verification: [], holders: [] }
        : { status: 'nothing-to-do', message: 'nothing to do: everything this fix repairs is already in place', verification: [], holders: [] };
      report.exitCode = plan.refusals.length ? EXIT.failed : EXIT.ok;
      return finish(io, opts, report, () => `${report.outcome.message}\n`);
    }
    if (!(await confirm(`Apply ${plan.steps.length === 1 ? 'this step' : `these ${plural(plan.steps.length, 'step')}`} to ${target.display}? [y/N] `))) {
      report.outcome = { status: 'planned', message: 'not applied: you said no; nothing was changed', verification: [], holders: [] };
      report.exitCode = EXIT.failed;
      return finish(io, opts, report, () => `${report.outcome.message}\n`);
    }
    expected = plan;
  }

  const undoFile = opts.undoFile ? path.resolve(cwd, opts.undoFile) : uniquePath(defaultUndoPath(cwd, command));
  let undoWritten = false;
  const pauseMs = Number(io.env.CAMPFIRE_TEST_PAUSE_BEFORE_COMMIT_MS ?? 0) || 0;
  const spin = spinner(io, `Applying ${command} to ${target.display}`);
  let outcome: ApplyOutcome;
  try {
    outcome = await applyPlan({
      target, config, connect: connectOpts, lockTimeoutMs, planner: plannerFor, expected,
      // Written as FILE.pending (marked and inert) before COMMIT; moved into place only after it (pending-undo.ts).
      beforeCommit: async (plan) => {
        try {
          // The final name must be free before COMMIT (a dangling symlink is not): after COMMIT it is too late to refuse.
          if (await lstat(undoFile).then(() => true, () => false)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
          await writeNew(pendingPath(undoFile), markPending(undoScript(plan, target.display)));
        } catch (err) {
          throw new UsageError(`Could not write the undo script ${undoFile} (${(err as NodeJS.ErrnoException).code ?? String(err)}): rolled back, nothing was changed; give a writable --undo-file.`);
        }
        undoWritten = true;
      },
      afterCommit: async (plan) => {
        await writeNew(undoFile, undoScript(plan, target.display));
        await removeQuietly(pendingPath(undoFile));
      },
      onRollback: async () => { if (undoWritten) await removeQuietly(pendingPath(undoFile)); },
      pauseBeforeCommitMs: pauseMs,
      onPause: () => io.err(`campfire: test pause before COMMIT (pid ${process.pid})\n`),
      at: testPauses(io),
    });
  } catch (err) {
    if (!(err instanceof SessionLostError)) throw err;
    // Not a crash and not bad input: the fix could not be applied (exit 1), said in every output form.
    outcome = { status: 'failed', message: err.message, verification: [], holders: [] };
    if (err.duringCommit && undoWritten) report.undoFile = undoFile;
  } finally {
    spin.stop();
  }
  // The message may quote the server (a refused step's error text): relayed text, scrubbed like any other.
  outcome = { ...outcome, message: scrub(outcome.message) };
  if (outcome.plan) setPlan(outcome.plan);
  const { plan: _ran, ...rest } = outcome;
  report.outcome = rest;
  if (outcome.status === 'applied') {
    report.undoFile = undoFile;
    if (opts.writeMigration) report.migrationFile = await writeMigration(opts.writeMigration, command, outcome.plan!, target.display);
  }
  report.exitCode = outcome.status === 'applied' || outcome.status === 'nothing-to-do' ? EXIT.ok : EXIT.failed;
  return finish(io, opts, report, () => {
    const head = expected ? '' : `${c.bold(`campfire ${command} — ${target.display}`)}\n${outcome.plan ? renderPlan(outcome.plan, c) : ''}\n`;
    const behaviour = outcome.probe ? renderApplyProbe(outcome.probe, c) : '';
    return head + behaviour + renderOutcome(outcome, c, { undoFile: report.undoFile ?? undefined, migrationFile: report.migrationFile ?? undefined, database: target.display });
  });
}

function finish(io: Io, opts: FixOptions, report: FixReport, human: () => string): number {
  io.out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : human());
  return report.exitCode;
}

async function writeMigration(dir: string, command: FixCommand, plan: Plan, database: string): Promise<string> {
  // Supabase orders migrations by the timestamp, which must be unique: move to the next free second.
  let when = Date.now();
  let file = migrationPath(path.resolve(dir), command, new Date(when));
  while (existsSync(file)) file = migrationPath(path.resolve(dir), command, new Date((when += 1000)));
  await writeNew(file, migrationScript(plan, database));
  return file;
}

export function uniquePath(file: string): string {
  if (!existsSync(file)) return file;
  const ext = path.extname(file);
  for (let i = 1; ; i++) {
    const next = `${file.slice(0, -ext.length)}-${i}${ext}`;
    if (!existsSync(next)) return next;
  }
}

/** The folder `dir` exists or can be made: the nearest existing ancestor is a folder, not a file. */
function assertCanCreate(dir: string, flag: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(d)) {
      if (!isDir(d)) throw new UsageError(`${flag} needs the folder ${dir}, but ${d} is a file: give a path under a folder. Nothing was changed.`);
      return;
    }
    if (path.dirname(d) === d) return;
  }
}

function isDir(p: string): boolean {
  return statSync(p).isDirectory();
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
