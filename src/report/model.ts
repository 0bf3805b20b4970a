import type { CheckResult, Status } from '../checks/types.js';
import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';

export interface Target {
  database?: string;
  serverVersion?: string;
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
  exitCode: number;
}

export function buildReport(checks: CheckResult[], target: Target): Report {
  const summary: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const c of checks) summary[c.status]++;
  const exitCode = summary.fail + summary.error > 0 ? EXIT.failed : EXIT.ok;
  return { tool: 'campfire', version: VERSION, target, checks, summary, exitCode };
}
