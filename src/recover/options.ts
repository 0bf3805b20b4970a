import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type CampfireConfig } from '../config.js';
import type { ConnectOptions } from '../db/connect.js';
import { databaseUrlFrom, parseDatabaseUrl, type DatabaseTarget } from '../db/url.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { prepareApp } from '../commands/doctor-app.js';
import { utcStamp } from '../fixes/files.js';
import { MESSAGES_PUBLICATION, type FullTables } from '../fixes/publication.js';
import { announceSecrets } from '../gate/emit.js';
import { resolveGate, type Gate, type GateFlags } from '../gate/options.js';
import type { Io } from '../io.js';
import { realtimeInputFrom, type DoctorRealtimeFlags } from '../realtime/doctor-input.js';
import { registerSecret } from '../secrets.js';
import { parseMaxLatencyMs } from '../latency.js';
import { CHECKS } from '../checks/registry.js';
import { selectChecks } from '../checks/select.js';

export interface RecoverOptions extends GateFlags, DoctorRealtimeFlags {
  /** Server logs the verify step scans, from the recovery's start on. */
  log?: string[];
  /** The organization the verify step's widget probe signs in to (with --app-url). */
  orgId?: string;
  /** The verify step also runs doctor --rehearse. */
  rehearse?: boolean;
  dbUrl?: string;
  config?: string;
  yes?: boolean;
  dryRun?: boolean;
  restartCmd?: string;
  restartTimeout: string;
  appUrl?: string;
  lockTimeout: string;
  undoFile?: string;
  report?: string;
  src?: string;
  fullTables: 'refuse' | 'no-column-list';
  replicaIdentity?: 'default';
  connectTimeout: string;
  statementTimeout: string;
}

/** Everything recover needs, validated before anything is read, locked or changed. */
export interface RecoverSetup {
  config: CampfireConfig;
  gate: Gate;
  rawUrl: string;
  target: DatabaseTarget;
  connect: ConnectOptions;
  lockTimeoutMs: number;
  restartTimeoutMs: number;
  fullTables: FullTables;
  interactive: boolean;
  /** The verify step's realtime probe, when its flags were given (validated here, run by doctor). */
  realtimeUrl?: string;
  /** The verify step probes the widget API at --app-url (only with an organization id to sign in to). */
  probeApp: boolean;
  reportFile: string;
  undoFile?: string;
}

/** Validates every flag; any problem is one line and exit 2, with nothing read or changed. */
export async function resolveRecoverOptions(opts: RecoverOptions, io: Io, cwd = process.cwd()): Promise<RecoverSetup> {
  const config = await loadConfig(opts.config);
  const gate = resolveGate(opts, config.gate, io.env);
  const connect = {
    connectTimeoutMs: parseDuration(opts.connectTimeout, '--connect-timeout'),
    statementTimeoutMs: parseDuration(opts.statementTimeout, '--statement-timeout'),
  };
  const lockTimeoutMs = parseDuration(opts.lockTimeout, '--lock-timeout');
  const restartTimeoutMs = parseDuration(opts.restartTimeout, '--restart-timeout');
  const rawUrl = databaseUrlFrom(opts.dbUrl, io.env);
  if (!rawUrl) throw new UsageError('No database to recover: pass --db-url postgres://… or set DATABASE_URL (or SUPABASE_DB_URL).');
  const target = parseDatabaseUrl(rawUrl);
  announceSecrets(io, gate, [rawUrl, target.connectionString]);
  if (config.publication === MESSAGES_PUBLICATION) {
    throw new UsageError(`${MESSAGES_PUBLICATION} belongs to Realtime's broadcast-from-database and campfire never changes it: configure the postgres_changes publication (supabase_realtime).`);
  }
  if (opts.replicaIdentity && opts.fullTables === 'no-column-list') {
    throw new UsageError('Choose one way out for REPLICA IDENTITY FULL tables: --replica-identity default or --full-tables no-column-list, not both.');
  }
  if (opts.appUrl !== undefined) checkAppUrl(opts.appUrl);
  // Incomplete realtime flags are a usage error now, not a failed verify step after the changes.
  const realtime = await realtimeInputFrom(opts, io.env);
  const realtimeUrl = 'options' in realtime ? realtime.options.url : undefined;
  for (const file of opts.log ?? []) {
    if (file === '-') throw new UsageError('--log - (stdin) cannot be used with recover: the terminal is for its questions; give the log file.');
    if (!existsSync(file)) throw new UsageError(`--log ${file} does not exist: give the server log the verify step should scan.`);
  }
  const probeApp = opts.appUrl !== undefined && Boolean((opts.orgId ?? io.env.CAMPFIRE_ORG_ID)?.trim());
  if (probeApp) prepareApp({ appUrl: opts.appUrl, orgId: opts.orgId }, 1000, io.env);
  if (opts.restartCmd !== undefined && !opts.restartCmd.trim()) throw new UsageError('--restart-cmd is empty: give the command that restarts your server, e.g. --restart-cmd "systemctl restart campfire".');
  // Every input of the verify step is checked here, before step 1 commits anything: finding out at step 5
  // that --src is a file would leave a half-run recovery behind a usage error.
  if (opts.src !== undefined) {
    if (!existsSync(opts.src)) throw new UsageError(`--src ${opts.src} does not exist: give your app's source folder. Nothing was changed.`);
    if (!statSync(opts.src).isDirectory()) throw new UsageError(`--src ${opts.src}: not a directory. Give the folder with your app's source, e.g. --src ./src. Nothing was changed.`);
  }
  for (const file of opts.log ?? []) {
    if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--log ${file} is a directory: give the server log file. Nothing was changed.`);
  }
  parseMaxLatencyMs(opts.maxLatencyMs);
  // --only/--skip name the checks the verify step judges: a typo must stop recover now, not after step 3.
  selectChecks(CHECKS, gate.selection);
  if (gate.junit) checkReportPath(gate.junit, cwd);
  // The questions go to stderr and the answers come from stdin: stdout may be piped (| tee incident.log).
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!opts.dryRun && !opts.yes && !interactive) {
    throw new UsageError('recover asks before each step, and there is no terminal to ask on: add --yes to run every step without asking (or --dry-run to see the runbook). Nothing was changed.');
  }
  if (opts.dryRun && opts.yes) throw new UsageError('--dry-run and --yes contradict each other: --dry-run changes nothing, --yes runs every step.');
  const reportFile = path.resolve(cwd, opts.report ?? path.join('.campfire', `recovery-${utcStamp()}.md`));
  if (opts.report !== undefined && existsSync(reportFile)) throw new UsageError(`--report ${opts.report} already exists: campfire never overwrites an incident record; pick a new name.`);
  const undoFile = opts.undoFile === undefined ? undefined : path.resolve(cwd, opts.undoFile);
  if (undoFile && existsSync(undoFile)) throw new UsageError(`--undo-file ${opts.undoFile} already exists: campfire never overwrites an undo script; pick a new name.`);
  const fullTables: FullTables = opts.replicaIdentity === 'default' ? 'replica-identity-default' : opts.fullTables;
  return { config, gate, rawUrl, target, connect, lockTimeoutMs, restartTimeoutMs, fullTables, interactive, realtimeUrl, probeApp, reportFile, undoFile };
}

function checkAppUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--app-url ${value} is not a URL: give the app's address, e.g. --app-url https://chat.example.com (the probes add /api/widget/…).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--app-url must be http:// or https:// (got ${url.protocol}).`);
  registerSecret(url.password);
}

/** --junit is written after the verify step: a path that can never be written must fail now, before step 1. */
function checkReportPath(file: string, cwd: string): void {
  const target = path.resolve(cwd, file);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`--junit ${file} is a folder: give a file path for the JUnit report. Nothing was changed.`);
  for (let d = path.dirname(target); ; d = path.dirname(d)) {
    if (existsSync(d)) {
      if (!statSync(d).isDirectory()) throw new UsageError(`--junit ${file}: ${d} is a file, not a folder. Nothing was changed.`);
      return;
    }
    if (path.dirname(d) === d) return;
  }
}
