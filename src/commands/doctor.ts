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
import { gatherRealtime, realtimeInputFrom, type DoctorRealtimeFlags } from '../realtime/doctor-input.js';

export interface DoctorOptions extends GateFlags, DoctorRealtimeFlags {
  dbUrl?: string;
  config?: string;
  connectTimeout: string;
  statementTimeout: string;
  /** App source folder for the client checks. */
  src?: string;
  /** Write the located (client) findings as SARIF 2.1.0 to this file. */
  sarif?: string;
}

/** Gathers every input it was given once, judges all checks, prints the report; returns the exit code. */
export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const config = await loadConfig(opts.config);
  const gate = resolveGate(opts, config.gate, io.env);
  const report = await diagnose(opts, io, { config, gate });
  if (opts.sarif) await (await import('../report/sarif.js')).writeSarif(opts.sarif, report);
  return emitReport(report, gate, io);
}

/**
 * Runs every section doctor has an input for; the others are skipped with the reason. Each input is
 * validated before any is gathered, so a bad flag fails fast, before a connection is opened.
 */
export async function diagnose(opts: DoctorOptions, io: Io, given?: { config: CampfireConfig; gate: Gate }): Promise<Report> {
  const config = given?.config ?? (await loadConfig(opts.config));
  const gate = given?.gate ?? resolveGate(opts, config.gate, io.env);
  const checks = selectChecks(CHECKS, gate.selection);
  const connectTimeoutMs = parseDuration(opts.connectTimeout, '--connect-timeout');
  const statementTimeoutMs = parseDuration(opts.statementTimeout, '--statement-timeout');

  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  const database = rawUrl ? parseDatabaseUrl(rawUrl) : undefined;
  // Each section runs when its input is given; with no input at all doctor has nothing to do.
  const realtime = realtimeInputFrom(opts, io.env);
  announceSecrets(io, gate, [rawUrl, database?.connectionString, 'options' in realtime ? realtime.options.key : undefined]);
  if (opts.sarif) {
    if (!opts.src) throw new UsageError('--sarif needs --src DIR: SARIF holds the client findings, which have file locations.');
    (await import('../report/sarif.js')).checkSarifTarget(opts.sarif);
  }
  if (!database && !opts.src && !('options' in realtime)) {
    throw new UsageError(
      "Nothing to check: pass --db-url postgres://… (or set DATABASE_URL / SUPABASE_DB_URL), --src DIR with your app's source, and/or --supabase-url, --anon-key, --org and --conv for the realtime checks.",
    );
  }

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const target: Target = {};

  // Client code: read the app's source once (before connecting, so a bad --src fails fast).
  if (opts.src) {
    const { gatherClient } = await import('../client/gather.js');
    inputs.client = gatherClient(opts.src);
    target.source = inputs.client.root;
  } else {
    skipReasons.client = 'no app source given (pass --src DIR to check the client code)';
  }

  // Database: the catalog, read once inside a READ ONLY transaction.
  if (database) {
    target.database = database.display;
    const spin = spinner(io, `Reading the catalog of ${database.display}`);
    try {
      inputs.database = await gatherDatabase(database, config, { connectTimeoutMs, statementTimeoutMs });
    } finally {
      spin.stop();
    }
    target.serverVersion = inputs.database.serverVersion;
  } else {
    skipReasons.database = 'no database given (pass --db-url or set DATABASE_URL)';
  }

  // Realtime: the broadcast probe, or the reason it did not run.
  if ('options' in realtime) {
    const spin = spinner(io, 'Probing Realtime broadcast');
    try {
      inputs.realtime = await gatherRealtime(realtime.options, io);
    } finally {
      spin.stop();
    }
    target.realtime = inputs.realtime.url;
  } else {
    skipReasons.realtime = realtime.skip;
  }

  const notSelected = deselectedIds(CHECKS, checks);
  const report = buildReport(runChecks(checks, inputs, config, skipReasons), target, { failOn: gate.failOn, notSelected });
  if (inputs.realtime) report.realtime = inputs.realtime;
  return report;
}
