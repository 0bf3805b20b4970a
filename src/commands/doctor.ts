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
import { parseMaxLatencyMs } from '../latency.js';
import { prepareLogs, type DoctorLogOptions } from './doctor-logs.js';
import { prepareApp, type DoctorAppOptions } from './doctor-app.js';
import { runFlags } from '../report/run-flags.js';
import { shadowInputFrom, type DoctorShadowFlags } from '../shadow/doctor-input.js';
import { REHEARSE_OPT_IN } from '../checks/rehearsal/input.js';

export interface DoctorOptions extends GateFlags, DoctorRealtimeFlags, DoctorLogOptions, DoctorAppOptions, DoctorShadowFlags {
  dbUrl?: string;
  config?: string;
  connectTimeout: string;
  statementTimeout: string;
  /** App source folder for the client checks. */
  src?: string;
  /** Write the located (client) findings as SARIF 2.1.0 to this file. */
  sarif?: string;
  maxLatencyMs?: string;
  /** Act out the widget path as anon and authenticated, always rolled back (rehearsal.widget-path). */
  rehearse?: boolean;
}

/** Gathers every input it was given once, judges all checks, prints the report; returns the exit code. */
export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const config = await loadConfig(opts.config);
  const gate = resolveGate(opts, config.gate, io.env);
  const report = await diagnose(opts, io, { config, gate });
  if (opts.sarif) await (await import('../report/sarif.js')).writeSarif(opts.sarif, report);
  return emitReport(report, gate, io, 'campfire doctor', runFlags(opts));
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

  // --migrations DIR: the database checks judge a shadow built from the folder (DATABASE_URL is ignored).
  const shadow = shadowInputFrom(opts);
  const rawUrl = shadow ? undefined : databaseUrlFrom(opts.dbUrl, io.env);
  const database = rawUrl ? parseDatabaseUrl(rawUrl) : undefined;
  // Every flag is validated before anything is read or probed: a usage error changes nothing.
  const maxLatencyMs = parseMaxLatencyMs(opts.maxLatencyMs);
  const logs = prepareLogs(opts, maxLatencyMs);
  const app = prepareApp(opts, maxLatencyMs, io.env);
  const realtime = await realtimeInputFrom(opts, io.env, checks.some((c) => c.id === 'realtime.channel-exposure'));
  announceSecrets(io, gate, [rawUrl, database?.connectionString, ...('options' in realtime ? [realtime.options.key, realtime.options.accessToken] : [])]);
  if (opts.sarif) {
    if (!opts.src) throw new UsageError('--sarif needs --src DIR: SARIF holds the client findings, which have file locations.');
    (await import('../report/sarif.js')).checkSarifTarget(opts.sarif);
  }
  if (!database && !shadow && !logs && !app && !opts.src && !('options' in realtime)) {
    throw new UsageError(
      'Nothing to check: pass --db-url postgres://… (or set DATABASE_URL) or --migrations DIR, --log FILE, --app-url URL --org-id ORG, ' +
        '--src DIR, and/or --supabase-url, --anon-key, --org-id and --conv.',
    );
  }

  const inputs: Inputs = {};
  const skipReasons: Partial<Record<InputKind, string>> = {};
  const target: Target = {};
  const during = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    const spin = spinner(io, text);
    try {
      return await work();
    } finally {
      spin.stop();
    }
  };

  // Client code: --src DIR, read once (before connecting, so a bad --src fails fast).
  if (opts.src) {
    const { gatherClient } = await import('../client/gather.js');
    inputs.client = gatherClient(opts.src);
    target.source = inputs.client.root;
  } else skipReasons.client = 'no app source given (--src DIR)';

  // Database: --db-url / DATABASE_URL, the catalog read once inside a READ ONLY transaction.
  if (shadow) {
    const built = await during(`Building a shadow database from ${opts.migrations}`, () =>
      shadow.gather(config, { connectTimeoutMs, statementTimeoutMs }, io.env),
    );
    target.database = built.description;
    inputs.database = built.snapshot;
    target.serverVersion = built.snapshot.serverVersion;
  } else if (database) {
    target.database = database.display;
    inputs.database = await during(`Reading the catalog of ${database.display}`, () =>
      gatherDatabase(database, config, { connectTimeoutMs, statementTimeoutMs }),
    );
    target.serverVersion = inputs.database.serverVersion;
  } else skipReasons.database = 'no database given (--db-url or DATABASE_URL)';

  // Rehearsal: --rehearse, on its own connection, in a transaction that is always rolled back.
  if (database && opts.rehearse && checks.some((c) => c.input === 'rehearsal')) {
    // Loaded only when asked: it brings pg, which a doctor run without a database never loads.
    const { gatherRehearsal } = await import('./doctor-rehearse.js');
    inputs.rehearsal = await during('Rehearsing the widget path as anon and authenticated (rolled back)', () =>
      gatherRehearsal(database, config, { connectTimeoutMs, statementTimeoutMs }, opts.orgId ?? io.env.CAMPFIRE_ORG_ID),
    );
  } else skipReasons.rehearsal = opts.rehearse ? (database ? 'not selected' : 'no database given (--db-url or DATABASE_URL)') : REHEARSE_OPT_IN;

  // App: --app-url. Probed before the logs are read, so the probe's own broadcasts can show up in them.
  if (app) {
    target.app = app.app;
    if ('skip' in app) skipReasons.app = app.skip;
    else inputs.app = await during(`Probing the widget API at ${app.app}`, () => app.gather());
  } else skipReasons.app = 'no app given (--app-url URL --org-id ORG)';

  // Logs: --log FILE (repeatable, - for stdin).
  if (logs) {
    target.logs = logs.files;
    inputs.logs = await during(`Scanning ${logs.files.join(', ')}`, () => logs.gather());
  } else skipReasons.logs = 'no server log given (--log FILE)';

  // Realtime: the broadcast probe, or the reason it did not run.
  if ('options' in realtime) {
    inputs.realtime = await during('Probing Realtime broadcast', () => gatherRealtime(realtime.options, io));
    target.realtime = inputs.realtime.url;
  } else skipReasons.realtime = realtime.skip;

  const notSelected = deselectedIds(CHECKS, checks);
  const results = runChecks(checks, inputs, config, skipReasons);
  // Loaded only with a database: the planners bring pg, which a log-only doctor never loads.
  if (inputs.database) (await import('../fixes/fix-lines.js')).explainFixLines(results, inputs.database, config);
  const report = buildReport(results, target, { failOn: gate.failOn, notSelected });
  if (inputs.realtime) report.realtime = inputs.realtime;
  return report;
}
