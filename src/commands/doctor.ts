import { CHECKS } from '../checks/registry.js';
import { runChecks } from '../checks/run.js';
import type { InputKind, Inputs } from '../checks/types.js';
import { loadConfig } from '../config.js';
import { gatherDatabase } from '../db/gather.js';
import { databaseUrlFrom, parseDatabaseUrl } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { buildReport, type Report, type Target } from '../report/model.js';
import { spinner } from '../spinner.js';
import { parseMaxLatencyMs } from '../latency.js';
import { prepareLogs, type DoctorLogOptions } from './doctor-logs.js';
import { prepareApp, type DoctorAppOptions } from './doctor-app.js';

export interface DoctorOptions extends DoctorLogOptions, DoctorAppOptions {
  dbUrl?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  connectTimeout: string;
  statementTimeout: string;
  maxLatencyMs?: string;
}

/** Gathers every input it was given once, judges all checks, prints the report; returns the exit code. */
export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const report = await diagnose(opts, io);
  io.out(opts.json ? renderJson(report) : renderHuman(report, { chalk: io.chalk, verbose: opts.verbose }));
  return report.exitCode;
}

export async function diagnose(opts: DoctorOptions, io: Io): Promise<Report> {
  const config = await loadConfig(opts.config);
  const connectTimeoutMs = parseDuration(opts.connectTimeout, '--connect-timeout');
  const statementTimeoutMs = parseDuration(opts.statementTimeout, '--statement-timeout');
  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  // Every flag is validated before anything is read or probed: a usage error changes nothing.
  const maxLatencyMs = parseMaxLatencyMs(opts.maxLatencyMs);
  const logs = prepareLogs(opts, maxLatencyMs);
  const app = prepareApp(opts, maxLatencyMs, io.env);
  if (!rawUrl && !logs && !app) {
    throw new UsageError(
      'Nothing to check: give --db-url postgres://… (or set DATABASE_URL), --log FILE, and/or --app-url URL --org-id ORG.',
    );
  }
  const target = rawUrl ? parseDatabaseUrl(rawUrl) : undefined;

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const reportTarget: Target = {};

  // Database: --db-url / DATABASE_URL.
  if (target) {
    reportTarget.database = target.display;
    const spin = spinner(io, `Reading the catalog of ${target.display}`);
    try {
      inputs.database = await gatherDatabase(target, config, { connectTimeoutMs, statementTimeoutMs });
    } finally {
      spin.stop();
    }
    reportTarget.serverVersion = inputs.database.serverVersion;
  } else skipReasons.database = 'no database given (--db-url or DATABASE_URL)';

  // App: --app-url. Probed before the logs are read, so the probe's own broadcasts can show up in them.
  if (app) {
    reportTarget.app = app.app;
    if ('skip' in app) skipReasons.app = app.skip;
    else {
      const spin = spinner(io, `Probing the widget API at ${app.app}`);
      try {
        inputs.app = await app.gather();
      } finally {
        spin.stop();
      }
    }
  } else skipReasons.app = 'no app given (--app-url URL --org-id ORG)';

  // Logs: --log FILE (repeatable, - for stdin).
  if (logs) {
    reportTarget.logs = logs.files;
    const spin = spinner(io, `Scanning ${logs.files.join(', ')}`);
    try {
      inputs.logs = await logs.gather();
    } finally {
      spin.stop();
    }
  } else skipReasons.logs = 'no server log given (--log FILE)';
  return buildReport(runChecks(CHECKS, inputs, config, skipReasons), reportTarget);
}
