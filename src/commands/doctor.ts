import { CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import type { InputKind, Inputs } from '../checks/types.js';
import { loadConfig } from '../config.js';
import { gatherDatabase } from '../db/gather.js';
import { gatherClient } from '../client/gather.js';
import { checkSarifTarget, writeSarif } from '../report/sarif.js';
import { databaseUrlFrom, parseDatabaseUrl } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { buildReport, type Report, type Target } from '../report/model.js';
import { spinner } from '../spinner.js';

export interface DoctorOptions {
  dbUrl?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  connectTimeout: string;
  statementTimeout: string;
  /** App source folder for the client checks. */
  src?: string;
  /** Write the located (client) findings as SARIF 2.1.0 to this file. */
  sarif?: string;
}

/** Gathers every input it was given once, judges all checks, prints the report; returns the exit code. */
export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const report = await diagnose(opts, io);
  if (opts.sarif) await writeSarif(opts.sarif, report);
  io.out(opts.json ? renderJson(report) : renderHuman(report, { chalk: io.chalk, verbose: opts.verbose }));
  return report.exitCode;
}

export async function diagnose(opts: DoctorOptions, io: Io): Promise<Report> {
  const config = await loadConfig(opts.config);
  const connectTimeoutMs = parseDuration(opts.connectTimeout, '--connect-timeout');
  const statementTimeoutMs = parseDuration(opts.statementTimeout, '--statement-timeout');
  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  if (opts.sarif) {
    if (!opts.src) throw new UsageError('--sarif needs --src DIR: SARIF holds the client findings, which have file locations.');
    checkSarifTarget(opts.sarif);
  }
  if (!rawUrl && !opts.src) {
    throw new UsageError('Nothing to check: pass --db-url postgres://… (or set DATABASE_URL / SUPABASE_DB_URL) and/or --src DIR with your app\'s source.');
  }

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const reportTarget: Target = {};

  // Client code: read the app's source once (before connecting, so a bad --src fails fast).
  if (opts.src) {
    inputs.client = gatherClient(opts.src);
    reportTarget.source = inputs.client.root;
  } else {
    skipReasons.client = 'no app source given (pass --src DIR to check the client code)';
  }

  if (rawUrl) {
    const target = parseDatabaseUrl(rawUrl);
    reportTarget.database = target.display;
    const spin = spinner(io, `Reading the catalog of ${target.display}`);
    try {
      inputs.database = await gatherDatabase(target, config, { connectTimeoutMs, statementTimeoutMs });
    } finally {
      spin.stop();
    }
    reportTarget.serverVersion = inputs.database.serverVersion;
  } else {
    skipReasons.database = 'no database given (pass --db-url or set DATABASE_URL)';
  }
  return buildReport(runChecks(CHECKS, inputs, config, skipReasons), reportTarget);
}
