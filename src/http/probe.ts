import { registerSecret } from '../secrets.js';
import { postJson, type HttpExchange } from './request.js';

/** What doctor's widget probes saw: the plain value the http.* checks judge. */
export interface AppProbe {
  /** The app's base URL as given (without credentials). */
  app: string;
  orgId: string;
  /** The probe data written, marked so it can be found and deleted. */
  visitorId: string;
  customerEmail: string;
  auth: HttpExchange & { conversationId?: string };
  /** One exchange per --samples; empty when auth gave no conversation. */
  messages: HttpExchange[];
}

export interface ProbeOptions {
  appUrl: URL;
  orgId: string;
  samples: number;
  timeoutMs: number;
  now?: Date;
}

/** Probe rows are marked: visitor campfire-doctor-<timestamp>, email at the reserved .invalid domain. */
export function probeIdentity(now: Date): { visitorId: string; customerEmail: string } {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', 't').replace('Z', 'z');
  return { visitorId: `campfire-doctor-${stamp}`, customerEmail: `campfire-doctor-${stamp}@campfire-doctor.invalid` };
}

/**
 * The guide's two curl calls: widget auth creates a conversation, then --samples messages are sent into it
 * one after another (sequentially, so each latency is the app's, not a queue's).
 */
export async function probeApp(opts: ProbeOptions): Promise<AppProbe> {
  const { visitorId, customerEmail } = probeIdentity(opts.now ?? new Date());
  const headers: Record<string, string> = { 'x-organization-id': opts.orgId };
  // fetch refuses URLs with credentials: send them as Basic auth (the password is registered as a secret).
  if (opts.appUrl.username) {
    const user = decodeURIComponent(opts.appUrl.username);
    const pass = decodeURIComponent(opts.appUrl.password);
    const basic = Buffer.from(`${user}:${pass}`).toString('base64');
    // An app that echoes request headers in an error body would print this: mask it in any shape.
    registerSecret(basic);
    headers.authorization = `Basic ${basic}`;
  }
  const auth: AppProbe['auth'] = await postJson(endpoint(opts.appUrl, 'api/widget/auth'), headers, { visitorId, customerEmail }, opts.timeoutMs);
  const id = (auth.body as { conversationId?: unknown } | undefined)?.conversationId;
  if (typeof id === 'string' && id) auth.conversationId = id;
  const messages: HttpExchange[] = [];
  if (auth.status === 200 && auth.conversationId) {
    for (let i = 1; i <= opts.samples; i++) {
      const payload = { conversationId: auth.conversationId, content: `campfire doctor probe ${i}/${opts.samples}`, senderType: 'visitor' };
      messages.push(await postJson(endpoint(opts.appUrl, 'api/widget/messages'), headers, payload, opts.timeoutMs));
    }
  }
  return { app: displayUrl(opts.appUrl), orgId: opts.orgId, visitorId, customerEmail, auth, messages };
}

function endpoint(base: URL, path: string): string {
  const u = new URL(displayUrl(base) + '/');
  return new URL(path, u).href;
}

export function displayUrl(u: URL): string {
  const copy = new URL(u.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}
