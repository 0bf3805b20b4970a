import { startRealtimeServer, type Misbehaviour, type RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { runChecks } from '../../src/checks/run.js';
import { REALTIME_CHECKS } from '../../src/checks/realtime/index.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { probeBroadcast, type ProbeOptions } from '../../src/realtime/probe.js';
import type { ProbeStats } from '../../src/realtime/stats.js';

export const KEY = 'anon-key-campfire-test-5f1c9e';

export function startServer(m: Misbehaviour = {}): Promise<RealtimeServer> {
  return startRealtimeServer({ apiKey: KEY, ...m });
}

export function probe(server: { url: string }, over: Partial<ProbeOptions> = {}): Promise<ProbeStats> {
  return probeBroadcast({
    url: server.url, key: KEY, org: 'org-1', conv: 'conv-1', count: 20, intervalMs: 2, timeoutMs: 1000,
    maxLatencyMs: 1000, channels: ['conv', 'org', 'list'], event: 'message:created', private: false,
    // The outsider test adds joins and broadcasts of its own: only the tests about it switch it on.
    exposure: false, ...over,
  });
}

export function verdicts(stats: ProbeStats) {
  return Object.fromEntries(runChecks(REALTIME_CHECKS, { realtime: stats }, DEFAULT_CONFIG).map((r) => [r.id, r]));
}

export function statuses(stats: ProbeStats) {
  return Object.fromEntries(Object.entries(verdicts(stats)).map(([id, r]) => [id, r.status]));
}
