import { CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import { deselectedIds, selectChecks } from '../checks/select.js';
import type { InputKind, Inputs } from '../checks/types.js';
import { loadConfig, type CampfireConfig } from '../config.js';
import { gatherDatabase } from '../db/gather.js';
import { databaseUrlFrom, parseDatabaseUrl } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { announceSecrets, emitReport } from '../gate/emit.js';
import { resolveGate, type Gate, type GateFlags } from '../gate/options.js';
import type { Io } from '../io.js';
import { buildReport, type Report, type Target } from '../report/model.js';
import { spinner } from '../spinner.js';

export interface DoctorOptions extends GateFlags {
  dbUrl?: string;
  config?: string;
  connectTimeout: string;
  statementTimeout: string;
}

/** Gathers every input it was given once, judges all checks, prints the report; returns the exit code. */
export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const config = await loadConfig(opts.config);
  const gate = resolveGate(opts, config.gate, io.env);
  const report = await diagnose(opts, io, { config, gate });
  return emitReport(report, gate, io);
}

export async function diagnose(opts: DoctorOptions, io: Io, given?: { config: CampfireConfig; gate: Gate }): Promise<Report> {
  const config = given?.config ?? (await loadConfig(opts.config));
  const gate = given?.gate ?? resolveGate(opts, config.gate, io.env);
  const checks = selectChecks(CHECKS, gate.selection);
  const connectTimeoutMs = parseDuration(opts.connectTimeout, '--connect-timeout');
  const statementTimeoutMs = parseDuration(opts.statementTimeout, '--statement-timeout');
  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  if (!rawUrl) {
    throw new UsageError('No database to check: pass --db-url postgres://… or set DATABASE_URL (or SUPABASE_DB_URL).');
  }
  const target = parseDatabaseUrl(rawUrl);
  announceSecrets(io, gate, [rawUrl, target.connectionString]);

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const reportTarget: Target = { database: target.display };
  const spin = spinner(io, `Reading the catalog of ${target.display}`);
  try {
    inputs.database = await gatherDatabase(target, config, { connectTimeoutMs, statementTimeoutMs });
  } finally {
    spin.stop();
  }
  reportTarget.serverVersion = inputs.database.serverVersion;
  const notSelected = deselectedIds(CHECKS, checks);
  return buildReport(runChecks(checks, inputs, config, skipReasons), reportTarget, { failOn: gate.failOn, notSelected });
}
