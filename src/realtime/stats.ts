/**
 * What one broadcast probe measured, as a plain value: the realtime checks judge only this, so every
 * verdict is testable without a server and the probe itself is tested against the fixture server.
 */
import type { ExposureStats } from './exposure.js';

export type JoinStatus = 'SUBSCRIBED' | 'CHANNEL_ERROR' | 'TIMED_OUT' | 'CLOSED' | 'NOT_ATTEMPTED';

export interface JoinOutcome {
  status: JoinStatus;
  /** The server's reason (or the client's error text) for CHANNEL_ERROR. */
  reason?: string;
  /** From subscribe() to the first status. */
  ms?: number;
}

export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface HeartbeatOutcome {
  /** ok: answered; timeout: no reply within the wait; error: answered with an error; not-run: never connected. */
  status: 'ok' | 'timeout' | 'error' | 'not-run';
  roundTripMs?: number;
}

export interface ChannelStats {
  /** The channel name the app uses, e.g. bcast:org:ORG:conv:CONV. */
  name: string;
  sender: JoinOutcome;
  receiver: JoinOutcome;
  sent: number;
  acked: number;
  ackErrors: number;
  ackTimeouts: number;
  received: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Sends made while the channel was not joined: realtime-js posts them to the REST endpoint and still says "ok". */
  fallbacks: number;
  ackLatency: LatencySummary | null;
  deliveryLatency: LatencySummary | null;
  /** The worse of the sender's and the receiver's heartbeat. */
  heartbeat: HeartbeatOutcome;
  /** Socket re-opens seen on the sender or receiver after the first connect. */
  reconnects: number;
}

export interface ConnectOutcome {
  ok: boolean;
  /** HTTP status when the upgrade was refused (401 = wrong key). */
  httpStatus?: number;
  /** Network error code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT…). */
  code?: string;
  message?: string;
}

export interface BindingsOutcome {
  file: string;
  sent: unknown[];
  /** The server's echo from the join reply, when the client saw one. */
  echoed: unknown[] | null;
  join: JoinOutcome;
  /** True when realtime-js accepted the echo (SUBSCRIBED), false on its mismatch error. */
  matches: boolean;
}

export interface ProbeStats {
  /** The Realtime WebSocket endpoint, without the key. */
  url: string;
  vsn: string;
  transport: 'ws' | 'native';
  count: number;
  intervalMs: number;
  timeoutMs: number;
  maxLatencyMs: number;
  event: string;
  private: boolean;
  connect: ConnectOutcome;
  channels: ChannelStats[];
  bindings?: BindingsOutcome;
  /** Who else can listen on the app's channels (absent when the probe never got that far). */
  exposure?: ExposureStats;
  /** Set when the probe stopped early: "interrupted" (Ctrl-C) or "deadline". */
  aborted?: 'interrupted' | 'deadline';
  durationMs: number;
}

/** Nearest-rank percentiles: every reported value is one that was measured. */
export function summarize(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { count: sorted.length, min: round(sorted[0]!), p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1]!) };
}
