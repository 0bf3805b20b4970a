import type { LogsInput } from '../checks/logs/input.js';
import { gatherLogs } from '../logs/gather.js';
import { parseSince } from '../logs/timestamp.js';

export interface DoctorLogOptions {
  log?: string[];
  since?: string;
}

/**
 * Validates the logs flags before anything is gathered (a bad --since is exit 2 with nothing read) and
 * returns how to read them, or undefined when no --log was given.
 */
export function prepareLogs(opts: DoctorLogOptions, maxLatencyMs: number): { files: string[]; gather(): Promise<LogsInput> } | undefined {
  const since = opts.since !== undefined ? parseSince(opts.since) : undefined;
  const files = opts.log ?? [];
  if (!files.length) return undefined;
  return {
    files: files.map((f) => (f === '-' ? '(stdin)' : f)),
    gather: async () => ({ ...(await gatherLogs(files, { since })), maxLatencyMs }),
  };
}
