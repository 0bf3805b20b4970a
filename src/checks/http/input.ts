import type { AppProbe } from '../../http/probe.js';
import { bodyError, type HttpExchange } from '../../http/request.js';

/** What the http.* checks judge: the probe's exchanges plus the run's one latency limit (--max-latency-ms). */
export interface AppInput extends AppProbe {
  maxLatencyMs: number;
}

/** "500: permission denied for table realtime_conversations" or the transport failure. */
export function describeExchange(x: HttpExchange): string {
  if (x.failure) return x.status ? `HTTP ${x.status}, ${x.failure}` : x.failure;
  const error = bodyError(x.body);
  return `HTTP ${x.status}${error ? `: ${error}` : ''}`;
}
