import type { AppInput } from '../checks/http/input.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { displayUrl, probeApp } from '../http/probe.js';
import { registerSecret, registerUrlSecrets } from '../secrets.js';

export interface DoctorAppOptions {
  appUrl?: string;
  orgId?: string;
  samples?: string;
  httpTimeout?: string;
  /** false with --no-write-probes. */
  writeProbes?: boolean;
  /** doctor --rehearse uses --org-id too, without --app-url. */
  rehearse?: boolean;
}

export type PreparedApp =
  | { app: string; skip: string }
  | { app: string; gather(): Promise<AppInput> };

/** Validates the app flags before anything is gathered; undefined when no --app-url was given. */
export function prepareApp(opts: DoctorAppOptions, maxLatencyMs: number, env: NodeJS.ProcessEnv): PreparedApp | undefined {
  const raw = opts.appUrl;
  if (raw === undefined) {
    if (opts.orgId !== undefined && !opts.rehearse) throw new UsageError('--org-id is used with --app-url: give the URL of your Campfire app too (e.g. --app-url http://localhost:3001).');
    return undefined;
  }
  registerUrlSecrets(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--app-url must be the app's base URL like http://localhost:3001 (got "${raw}").`);
  }
  registerSecret(url.password);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--app-url must start with http:// or https:// (got "${displayUrl(url)}").`);
  }
  const orgId = opts.orgId ?? env.CAMPFIRE_ORG_ID;
  if (!orgId || !orgId.trim()) {
    throw new UsageError('--app-url needs --org-id ORG (or CAMPFIRE_ORG_ID): the organization the widget probe signs in to.');
  }
  const samples = Number(opts.samples ?? '5');
  if (!/^\d+$/.test(opts.samples ?? '5') || samples < 1 || samples > 1000) {
    throw new UsageError(`--samples must be a whole number from 1 to 1000 (got "${opts.samples}").`);
  }
  const timeoutMs = parseDuration(opts.httpTimeout ?? '10s', '--http-timeout');
  const app = displayUrl(url);
  if (opts.writeProbes === false) {
    return { app, skip: 'skipped by --no-write-probes (these checks create a probe conversation and messages)' };
  }
  return { app, gather: async () => ({ ...(await probeApp({ appUrl: url, orgId: orgId.trim(), samples, timeoutMs })), maxLatencyMs }) };
}
