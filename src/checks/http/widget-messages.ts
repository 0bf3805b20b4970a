import { exactQuantile } from '../../latency.js';
import { redact } from '../../secrets.js';
import type { Check, Finding } from '../types.js';
import { bodyError } from '../../http/request.js';
import { describeExchange, type AppInput } from './input.js';
import { plural } from '../../plural.js';

export const httpWidgetMessages: Check<'app'> = {
  id: 'http.widget-messages',
  section: 'performance',
  title: 'Message API succeeds, and fast',
  verifies: 'POST {app}/api/widget/messages (senderType visitor) into the probe conversation returns success: true for every one of --samples requests, with p95 latency at or under --max-latency-ms.',
  guideRef: 'Quick Diagnostic Checklist → 3; Performance Issues → 1. Measure API Latency',
  fix: null,
  input: 'app',
  judge(app: AppInput) {
    if (app.messages.length === 0) {
      return { status: 'skip', summary: 'no conversation to send into: widget auth did not return one (see http.widget-auth)' };
    }
    const findings: Finding[] = [];
    const failed = app.messages.filter((m) => !(m.status !== undefined && m.status < 300 && (m.body as { success?: unknown } | undefined)?.success === true));
    for (const m of failed.slice(0, 5)) {
      const said = bodyError(m.body);
      const detail = m.status !== undefined && !m.failure && m.status < 300 ? `HTTP ${m.status} without success: true${said ? ` (${said})` : ''}` : describeExchange(m);
      findings.push({ object: `POST ${m.url}`, detail: redact(detail) });
    }
    const latencies = app.messages.map((m) => m.latencyMs);
    const p50 = exactQuantile(latencies, 0.5);
    const p95 = exactQuantile(latencies, 0.95);
    const max = Math.max(...latencies);
    const numbers = `p50 ${p50} ms, p95 ${p95} ms, max ${max} ms over ${latencies.length} request${latencies.length === 1 ? '' : 's'}`;
    if (failed.length) {
      return { status: 'fail', summary: `${failed.length} of ${plural(app.messages.length, 'message')} failed (${numbers})`, findings };
    }
    if (p95 > app.maxLatencyMs) {
      return {
        status: 'fail',
        summary: `messages are slow: ${numbers} (limit ${app.maxLatencyMs} ms at p95)`,
        findings,
        advice: 'The guide\'s "Messages taking >1 second": look at the database insert and the broadcasts the API waits for.',
      };
    }
    return { status: 'pass', summary: `success: true for all ${app.messages.length}; ${numbers}`, findings };
  },
};
