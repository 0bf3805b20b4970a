import { formatDuration } from '../duration.js';
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
    text = await res.text();
  } catch (err) {
    return { url, latencyMs: latency(), failure: describeFetchError(err, url, timeoutMs) };
  }
  const latencyMs = latency();
  try {
    return { url, status: res.status, latencyMs, body: JSON.parse(text) };
  } catch {
    const type = res.headers.get('content-type') ?? 'no content-type';
    const preview = text.replace(/\s+/g, ' ').trim().slice(0, BODY_PREVIEW);
    return { url, status: res.status, latencyMs, failure: `response is not JSON (${type}): ${preview ? `"${preview}${text.length > BODY_PREVIEW ? '…' : ''}"` : 'empty body'}` };
  }
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

/** The error text an API put in its JSON body ({error}, {message}, {error: {message}}), if any. */
export function bodyError(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'details']) {
    const v = b[key];
    if (typeof v === 'string' && v) return v;
    if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).message === 'string') return (v as { message: string }).message;
  }
  return undefined;
}
