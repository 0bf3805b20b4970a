import { describe, expect, it } from 'vitest';
import { logsBroadcastLatency } from '../../../src/checks/logs/broadcast-latency.js';
import { logsBindingMismatch } from '../../../src/checks/logs/binding-mismatch.js';
import { logsBroadcastSuccess } from '../../../src/checks/logs/broadcast-success.js';
import { httpWidgetMessages } from '../../../src/checks/http/widget-messages.js';
import type { AppInput } from '../../../src/checks/http/input.js';
import { DEFAULT_CONFIG } from '../../../src/config.js';
import { LatencyDigest } from '../../../src/latency.js';
import { registerSecret } from '../../../src/secrets.js';
import { scanChunks } from '../../support/scan.js';

const logs = (text: string, maxLatencyMs = 1000) => ({ ...scanChunks(Buffer.from(text)), maxLatencyMs });

describe('logs judges', () => {
  it('broadcast latency fails only when p95 exceeds --max-latency-ms', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `Broadcast result in ${i < 95 ? 10 : 2000}ms\n`).join('');
    expect(logsBroadcastLatency.judge(logs(lines), DEFAULT_CONFIG).status).toBe('pass');
    const slow = Array.from({ length: 100 }, (_, i) => `Broadcast result in ${i < 90 ? 10 : 2000}ms\n`).join('');
    expect(logsBroadcastLatency.judge(logs(slow), DEFAULT_CONFIG)).toMatchObject({ status: 'fail', summary: expect.stringContaining('p95 2000 ms') });
    expect(logsBroadcastLatency.judge(logs(slow, 5000), DEFAULT_CONFIG).status).toBe('pass');
    expect(logsBroadcastLatency.judge(logs('Broadcast result ok\n'), DEFAULT_CONFIG)).toMatchObject({ status: 'skip', summary: expect.stringContaining('none with a duration') });
  });

  it('mismatch samples pass through redact', () => {
    registerSecret('s3cr3t-key-value');
    const v = logsBindingMismatch.judge(logs('mismatch apikey=s3cr3t-key-value\n'), DEFAULT_CONFIG);
    expect(v.status).toBe('fail');
    expect(JSON.stringify(v.findings)).not.toContain('s3cr3t-key-value');
  });

  it("broadcast success warns on channels outside the guide's names and fails on none", () => {
    expect(logsBroadcastSuccess.judge(logs('Broadcast successful: chat-room-1 -> message:created\n'), DEFAULT_CONFIG).status).toBe('warn');
    expect(logsBroadcastSuccess.judge(logs('nothing\n'), DEFAULT_CONFIG).status).toBe('fail');
  });

  it('broadcast success counts the broadcasts to org-wide topics (what a public org-wide channel exposes)', () => {
    const text = [
      '[Realtime] ✅ Broadcast successful: org:o1:conv:c1 -> message:created',
      '[Realtime] ✅ Broadcast successful: org:o1 -> message:created',
      '[Realtime] ✅ Broadcast successful: org:o1:conversations -> message:created',
      '[Realtime] ✅ Broadcast successful: bcast:org:o2 -> message:created',
      '[Realtime] ✅ Broadcast successful: org:o1:conv:c2 -> message:created',
      '[Realtime] ✅ Broadcast successful: org:o1:conv:c2:extra -> message:created',
    ].join('\n');
    const input = logs(`${text}\n`);
    expect(input.broadcastSuccess.orgWide).toEqual({ count: 3, topics: { 'org:o1': 1, 'org:o1:conversations': 1, 'bcast:org:o2': 1 }, otherTopics: 0 });
    expect(input.broadcastSuccess.conversation).toBe(2);
    const v = logsBroadcastSuccess.judge(input, DEFAULT_CONFIG);
    expect(v.summary).toContain('3 to org-wide topics');
    expect(v.findings).toContainEqual({ object: 'org-wide topics', detail: expect.stringMatching(/^3 of 6 broadcasts \(50%\) went to org-wide topics: .*; 2 to per-conversation topics/) });
    // None: no finding, no summary part.
    const only = logsBroadcastSuccess.judge(logs('Broadcast successful: org:o1:conv:c1 -> message:created\n'), DEFAULT_CONFIG);
    expect(only.summary).not.toContain('org-wide');
    expect(only.findings!.some((f) => f.object === 'org-wide topics')).toBe(false);
  });

  it('the digest stays exact for few samples and approximate within 1% for many', () => {
    const d = new LatencyDigest();
    for (let i = 1; i <= 100_000; i++) d.add(i / 100);
    const s = d.summary()!;
    expect(s.approximate).toBe(true);
    expect(Math.abs(s.p95 - 950) / 950).toBeLessThan(0.01);
    expect(s.max).toBe(1000);
  });
});

describe('message judge', () => {
  const app = (latencies: number[], maxLatencyMs = 1000): AppInput => ({
    app: 'http://a', orgId: 'o', visitorId: 'v', customerEmail: 'e', maxLatencyMs,
    auth: { url: 'http://a/api/widget/auth', status: 200, latencyMs: 1, conversationId: 'c' },
    messages: latencies.map((latencyMs) => ({ url: 'http://a/api/widget/messages', status: 200, latencyMs, body: { success: true } })),
  });
  it('fails above the latency limit, passes under it', () => {
    expect(httpWidgetMessages.judge(app([10, 20, 30]), DEFAULT_CONFIG).status).toBe('pass');
    expect(httpWidgetMessages.judge(app([10, 20, 1500]), DEFAULT_CONFIG)).toMatchObject({ status: 'fail', summary: expect.stringContaining('p95 1500 ms') });
  });
});
