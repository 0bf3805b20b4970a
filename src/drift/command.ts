import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { gatherDatabase } from '../db/gather.js';
import { databaseUrlFrom, parseDatabaseUrl } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { EXIT, UsageError } from '../errors.js';
import { announceSecrets } from '../gate/emit.js';
import { migrationPath, migrationScript, writeNew } from '../fixes/files.js';
import { forwardSql, type Plan } from '../fixes/plan.js';
import type { Io } from '../io.js';
import type { DoctorShadowFlags } from '../shadow/doctor-input.js';
import { checkShadowOptions } from '../shadow/options.js';
import { spinner } from '../spinner.js';
import { compareCatalogs, type Difference } from './compare.js';

export interface DriftOptions extends Omit<DoctorShadowFlags, 'migrations'> {
  dbUrl?: string;
  migrations?: string;
  config?: string;
  json?: boolean;
  writeMigration?: string;
  connectTimeout: string;
  statementTimeout: string;
}

/**
 * campfire drift: the live database against a shadow built from the migrations, compared on what the
 * guide's checks read. Exit 0 no drift, 1 drift, 2 could not run. Reads the live database only.
 */
export async function drift(opts: DriftOptions, io: Io): Promise<number> {
  const raw = databaseUrlFrom(opts.dbUrl, io.env);
  if (!raw) throw new UsageError('campfire drift needs the live database: --db-url postgres://… (or DATABASE_URL).');
  if (!opts.migrations) throw new UsageError('campfire drift needs --migrations DIR (usually supabase/migrations).');
  const live = parseDatabaseUrl(raw);
  // In GitHub Actions the runner is told to mask the URL and its password before anything is printed.
  announceSecrets(io, { github: io.env.GITHUB_ACTIONS === 'true', json: Boolean(opts.json) }, [raw, live.connectionString]);
  const connect = { connectTimeoutMs: parseDuration(opts.connectTimeout, '--connect-timeout'), statementTimeoutMs: parseDuration(opts.statementTimeout, '--statement-timeout') };
  const shadowOpts = { ...opts, migrations: opts.migrations };
  checkShadowOptions(shadowOpts);
  const config = await loadConfig(opts.config);
  const during = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    const spin = opts.json ? { stop() {} } : spinner(io, text);
    try {
      return await work();
    } finally {
      spin.stop();
    }
  };

  const liveSnap = await during(`Reading the catalog of ${live.display}`, () => gatherDatabase(live, config, connect));
  const { buildShadow } = await import('../shadow/build.js');
  const shadow = await during(`Building a shadow database from ${opts.migrations}`, () => buildShadow(shadowOpts, io.env));
  let shadowSnap;
  try {
    const shadowTarget = parseDatabaseUrl(shadow.url);
    shadowSnap = await gatherDatabase(shadowTarget, config, connect);
    const { completeFunctions } = await import('./definitions.js');
    await completeFunctions(shadowTarget, shadowSnap, liveSnap, connect);
    await completeFunctions(live, liveSnap, shadowSnap, connect);
  } finally {
    await shadow.dispose();
  }
  const diffs = compareCatalogs({ live: liveSnap, shadow: shadowSnap });

  let written: string | undefined;
  let plan: Plan | undefined;
  if (opts.writeMigration && diffs.length) {
    const { planDriftMigration } = await import('./migration.js');
    const { readLiveDefinitions } = await import('./definitions.js');
    const defs = await readLiveDefinitions(live, liveSnap, diffs, connect);
    plan = planDriftMigration(diffs, liveSnap, shadowSnap, defs);
    if (plan.steps.length) {
      written = migrationPath(opts.writeMigration, 'drift');
      await writeNew(written, migrationScript(plan, live.display));
    }
  }

  const exitCode = diffs.length ? EXIT.failed : EXIT.ok;
  if (opts.json) {
    io.out(`${JSON.stringify({ tool: 'campfire', command: 'drift', live: live.display, migrations: shadow.description, differences: diffs, migrationFile: written ?? null, exitCode }, null, 2)}\n`);
  } else {
    const c = io.chalk;
    io.out(`${c.bold('campfire drift')} — live ${live.display}\n  against ${shadow.description}\n\n`);
    if (!diffs.length) io.out(c.green('No drift: the live database matches the migrations in everything the checks read.\n'));
    for (const d of diffs) io.out(`  ${c.red('✗')} ${d.message}\n`);
    if (diffs.length) {
      io.out(`\n${diffs.length} difference${diffs.length === 1 ? '' : 's'}.`);
      if (plan) io.out(`\n${describePlan(plan, c)}`);
      if (written) io.out(`\nMigration written: ${written} (review it, then commit it: the migrations now build what live has)\n`);
      else if (!opts.writeMigration) io.out(` To bring the migrations in line with live: campfire drift --db-url … --migrations ${opts.migrations} --write-migration ${opts.migrations}\n`);
    }
  }
  await githubOutput(io, diffs);
  return exitCode;
}

/** The migration's statements and what it leaves to a person (the fix plans' parts that apply to drift). */
function describePlan(plan: Plan, c: Io['chalk']): string {
  const lines = ['', c.bold(`The migration (${forwardSql(plan).length} statements):`), ...forwardSql(plan).map((s) => c.cyan(`  ${s};`))];
  if (plan.decisions.length) lines.push('', c.yellow.bold('Not written (needs a person):'), ...plan.decisions.map((d) => c.yellow(`  ! ${d.object}: ${d.detail}`)));
  if (plan.notes.length) lines.push('', ...plan.notes.map((n) => `  • ${n}`));
  return `${lines.join('\n')}\n`;
}

/** In GitHub Actions: one error annotation per difference and a step summary list, as doctor does for its findings. */
async function githubOutput(io: Io, diffs: Difference[]): Promise<void> {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  for (const d of diffs) io.err(`::error title=campfire drift::${esc(d.message)}\n`);
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    const body = diffs.length ? diffs.map((d) => `- ${d.message.replace(/[<>]/g, '')}`).join('\n') : 'No drift.';
    await appendFile(path.resolve(summary), `### campfire drift\n\n${body}\n\n`);
  }
}
