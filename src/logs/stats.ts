import type { LatencySummary } from '../latency.js';

/** What one pass over the log files found: the plain value the logs.* checks judge. */
export interface LogStats {
  files: LogFileStats[];
  /** --since as an ISO time, when given: only lines at or after it were counted. */
  since?: string;
  /** Earliest and latest leading timestamp seen in any file (whether counted or not). */
  firstTimestamp?: string;
  lastTimestamp?: string;
  mismatch: { count: number; firstTimestamp?: string; lastTimestamp?: string; samples: LogSample[] };
  broadcastSuccess: {
    count: number;
    /** Channel → lines, for at most MAX_DISTINCT channels; the rest are counted in otherChannels. */
    channels: Record<string, number>;
    otherChannels: number;
    events: Record<string, number>;
  };
  broadcastResult: {
    /** "Broadcast result" lines counted. */
    count: number;
    /** Those without a duration campfire recognises. */
    withoutDuration: number;
    latency?: LatencySummary;
    samplesWithoutDuration: LogSample[];
  };
}

export interface LogFileStats {
  name: string;
  bytes: number;
  gzip: boolean;
  /** The file could not be read to the end (truncated gzip, read error): counts cover what was read. */
  error?: string;
}

export interface LogSample {
  file: string;
  timestamp?: string;
  text: string;
}

export const MAX_SAMPLES = 5;
export const MAX_SAMPLE_CHARS = 200;
export const MAX_DISTINCT = 50;

export function emptyLogStats(): LogStats {
  return {
    files: [],
    mismatch: { count: 0, samples: [] },
    broadcastSuccess: { count: 0, channels: {}, otherChannels: 0, events: {} },
    broadcastResult: { count: 0, withoutDuration: 0, samplesWithoutDuration: [] },
  };
}
