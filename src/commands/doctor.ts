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
import { gatherRealtime, realtimeInputFrom, type DoctorRealtimeFlags } from '../realtime/doctor-input.js';

export interface DoctorOptions extends DoctorRealtimeFlags {
  dbUrl?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  connectTimeout: string;
  statementTimeout: string;
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
  // Each section runs when its input is given; with no input at all doctor has nothing to do (issue 5).
  const realtime = realtimeInputFrom(opts, io.env);
  if (!rawUrl && !('options' in realtime)) {
    throw new UsageError(
      'Nothing to check: pass --db-url postgres://… (or set DATABASE_URL), and/or --supabase-url, --anon-key, --org and --conv for the realtime checks.',
    );
  }

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const reportTarget: Target = {};
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
    skipReasons.database = 'no database given: pass --db-url postgres://… or set DATABASE_URL (or SUPABASE_DB_URL)';
  }

  // realtime section (issue 4): the broadcast probe, or the reason it did not run.
  if ('options' in realtime) {
    const spin = spinner(io, 'Probing Realtime broadcast');
    try {
      inputs.realtime = await gatherRealtime(realtime.options, io);
    } finally {
      spin.stop();
    }
    reportTarget.realtime = inputs.realtime.url;
  } else {
    skipReasons.realtime = realtime.skip;
  }
  const report = buildReport(runChecks(CHECKS, inputs, config, skipReasons), reportTarget);
  if (inputs.realtime) report.realtime = inputs.realtime;
  return report;
}
