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
    /**
     * Broadcasts to the guide's org-wide topics (org:{orgId} and org:{orgId}:conversations, with or without
     * the bcast: prefix): every conversation's events of an organisation. On a public channel anyone
     * holding the project's anon key and the organisation id can join these topics and receive all of it.
     * count is exact; topics holds at most MAX_DISTINCT topics, the rest counted in otherTopics.
     */
    orgWide: { count: number; topics: Record<string, number>; otherTopics: number };
    /** Broadcasts to per-conversation topics (org:{orgId}:conv:{convId}), for comparison with orgWide. */
    conversation: number;
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
    broadcastSuccess: { count: 0, channels: {}, otherChannels: 0, events: {}, orgWide: { count: 0, topics: {}, otherTopics: 0 }, conversation: 0 },
    broadcastResult: { count: 0, withoutDuration: 0, samplesWithoutDuration: [] },
  };
}

/** The guide's org-wide topics; a per-conversation topic is org:{orgId}:conv:{convId}. */
const ORG_WIDE = /^(?:bcast:)?org:[^:\s]+(?::conversations)?$/;
const CONVERSATION = /^(?:bcast:)?org:[^:\s]+:conv:[^:\s]+$/;

/** What kind of topic a channel name is: 1 org-wide, 2 per-conversation, 0 neither. */
export function topicKind(channel: string): 0 | 1 | 2 {
  return ORG_WIDE.test(channel) ? 1 : CONVERSATION.test(channel) ? 2 : 0;
}

/** Adds n to key in a map holding at most MAX_DISTINCT keys; false when the key did not fit. */
export function countCapped(map: Map<string, number>, key: string, n: number): boolean {
  const have = map.get(key);
  if (have !== undefined) map.set(key, have + n);
  else if (map.size < MAX_DISTINCT) map.set(key, n);
  else return false;
  return true;
}
