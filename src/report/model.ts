import type { CheckResult, Status } from '../checks/types.js';
import { EXIT } from '../errors.js';
import type { FailOn } from '../gate/config.js';
import { VERSION } from '../version.js';
import type { ProbeStats } from '../realtime/stats.js';

export interface Target {
  database?: string;
  serverVersion?: string;
  /** The app source folder the client checks read (doctor --src). */
  source?: string;
  /** The Realtime WebSocket endpoint probed (never with the key). */
  realtime?: string;
  /** --log files read. */
  logs?: string[];
  /** --app-url probed. */
  app?: string;
}

/** The one document doctor produces; --json prints it as is, the human report renders it. */
export interface Report {
  tool: 'campfire';
  version: string;
  target: Target;
  checks: CheckResult[];
  summary: Record<Status, number>;
  /** The level that fails the run: "fail" (failures and errors) or "warn" (warnings too). */
  failOn: FailOn;
  /** Checks left out by --only/--skip: not judged and not in `checks`. */
  notSelected: string[];
  exitCode: number;
  /** What the broadcast probe measured, when one ran. */
  realtime?: ProbeStats;
}

export interface ReportOptions {
  failOn?: FailOn;
  notSelected?: string[];
}

export function buildReport(checks: CheckResult[], target: Target, opts: ReportOptions = {}): Report {
  const summary: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const c of checks) summary[c.status]++;
  const failOn = opts.failOn ?? 'fail';
  const exitCode = failingCount(summary, failOn) > 0 ? EXIT.failed : EXIT.ok;
  return { tool: 'campfire', version: VERSION, target, checks, summary, failOn, notSelected: opts.notSelected ?? [], exitCode };
}

/** Whether a result fails the run at this level: every report output (exit code, JUnit, annotations) agrees. */
export function failsGate(status: Status, failOn: FailOn): boolean {
  return status === 'fail' || status === 'error' || (failOn === 'warn' && status === 'warn');
}

function failingCount(summary: Record<Status, number>, failOn: FailOn): number {
  return (Object.keys(summary) as Status[]).filter((s) => failsGate(s, failOn)).reduce((n, s) => n + summary[s], 0);
}
