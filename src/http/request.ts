import { formatDuration } from '../duration.js';
import { scrub } from '../scrub.js';

/** One JSON POST with a deadline; every way it can go wrong becomes a plain value, never an exception. */
export interface HttpExchange {
  url: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  latencyMs: number;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
  /** Why there is no usable JSON response: refused, timeout, TLS, DNS, non-JSON body. */
  failure?: string;
}

const BODY_PREVIEW = 120;
/**
 * The most of a response body campfire reads. The widget API answers with a few hundred bytes of JSON;
 * a body beyond this is not an answer campfire can judge, and reading it whole (a 700 MB body took 1.5 GB)
 * would only cost memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function postJson(url: string, headers: Record<string, string>, payload: unknown, timeoutMs: number): Promise<HttpExchange> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 100) / 100;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const read = await readBounded(res, MAX_BODY_BYTES);
    if (read.truncated) {
      return { url, status: res.status, latencyMs: latency(), failure: `response body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB; campfire stopped reading it (${preview(read.text)})` };
    }
    text = read.text;
  } catch (err) {
    return { url, latencyMs: latency(), failure: describeFetchError(err, url, timeoutMs) };
  }
  const latencyMs = latency();
  try {
    return { url, status: res.status, latencyMs, body: JSON.parse(text) };
  } catch {
    const type = res.headers.get('content-type') ?? 'no content-type';
    return { url, status: res.status, latencyMs, failure: `response is not JSON (${scrub(type)}): ${preview(text)}` };
  }
}

/** The start of a body as relayed text: one line, scrubbed, bounded. */
function preview(text: string): string {
  const one = scrub(text).replace(/\s+/g, ' ').trim();
  if (!one) return 'empty body';
  return `"${one.slice(0, BODY_PREVIEW)}${one.length > BODY_PREVIEW ? '…' : ''}"`;
}

/** Reads at most `limit` bytes of the body, then cancels the rest (the server sees the connection close). */
async function readBounded(res: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { text: Buffer.concat(chunks).subarray(0, Math.min(size, 4096)).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/;

function describeFetchError(err: unknown, url: string, timeoutMs: number): string {
  const e = err as Error & { cause?: NodeJS.ErrnoException & { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response within ${formatDuration(timeoutMs)} (--http-timeout)`;
  const cause = e?.cause;
  const code = cause?.code ?? '';
  const host = safeHost(url);
  if (code === 'ECONNREFUSED') return `connection refused by ${host}: is the app running and listening there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host ${host} not found (DNS ${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection to ${host} was closed before a response (${code})`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `could not connect to ${host} in time (${code})`;
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(cause?.message ?? '')) return `TLS error talking to ${host}: ${cause?.message ?? code}`;
  return `request to ${host} failed: ${cause?.message ?? e?.message ?? String(err)}${code ? ` (${code})` : ''}`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The most of a body's error text shown: enough for the one line the on-call needs, not a whole dump. */
export const MAX_ERROR_TEXT = 400;
const HEADLINE_KEYS = ['error', 'message', 'msg', 'error_description', 'detail', 'details', 'description'];

/**
 * The error text an API put in its JSON body, whatever field it is in: the headline ({error}, {message},
 * {error: {message}}) first, then every other field with a value ("details: permission denied for table
 * realtime_conversations", "hint: …", "code: 42501"), scrubbed and bounded. A plain string body is its own
 * text. Undefined when the body says nothing.
 */
export function bodyError(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? bound(scrub(body)) : undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const leaves: [string, string][] = [];
  collect(body, '', leaves, 0);
  if (!leaves.length) return undefined;
  const rank = (key: string) => {
    const i = HEADLINE_KEYS.findIndex((k) => key === k || key === `error.${k}`);
    return i < 0 ? HEADLINE_KEYS.length : i;
  };
  const sorted = leaves.map((l, i) => [l, i] as const).sort((a, b) => rank(a[0][0]) - rank(b[0][0]) || a[1] - b[1]).map(([l]) => l);
  const [head, ...rest] = sorted;
  const headline = rank(head![0]) < HEADLINE_KEYS.length ? head![1] : `${head![0]}: ${head![1]}`;
  const text = [headline, ...rest.map(([k, v]) => `${k}: ${v}`)].join('; ');
  return bound(scrub(text));
}

/** Keys that describe success, not the error. */
const NOT_ERROR = new Set(['success', 'ok', 'status', 'statusCode']);

function collect(v: unknown, path: string, out: [string, string][], depth: number): void {
  if (out.length >= 20) return;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    if (path && (typeof v !== 'string' || v.trim()) && !NOT_ERROR.has(path)) out.push([path, String(v)]);
    return;
  }
  if (typeof v !== 'object' || v === null || depth > 3) return;
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  for (const [k, x] of entries) collect(x, path ? `${path}.${k}` : k, out, depth + 1);
}

function bound(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_ERROR_TEXT ? `${one.slice(0, MAX_ERROR_TEXT)}…` : one;
}
