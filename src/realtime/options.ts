/**
 * Flag parsing shared by probe-broadcast and doctor's realtime section: every bad value is one
 * UsageError line saying what is wrong and what to do.
 */
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { registerSecret, registerUrlSecrets } from '../secrets.js';
import { CHANNEL_KINDS, channelName, type ChannelKind } from './channels.js';
import type { ProbeOptions } from './probe.js';

export interface RawProbeFlags {
  url?: string;
  key?: string;
  org?: string;
  conv?: string;
  count?: string;
  intervalMs?: string;
  timeoutMs?: string;
  maxLatencyMs?: string;
  channels?: string;
  event?: string;
  private?: boolean;
  accessToken?: string;
  /** commander's --no-exposure gives false. */
  exposure?: boolean;
  vsn?: string;
  transport?: string;
}

export const PROBE_DEFAULTS = { count: '50', intervalMs: '20', timeoutMs: '5000', maxLatencyMs: '1000', channels: 'conv,org,list', event: 'message:created' };

export function integer(text: string | undefined, flag: string, min: number, max: number): number {
  const v = Number(text);
  if (text === undefined || !/^\s*\d+\s*$/.test(text) || v < min || v > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${text ?? ''}").`);
  }
  return v;
}

export function supabaseUrl(text: string, flag: string): string {
  registerUrlSecrets(text);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${flag} must be the project URL, like https://PROJECT.supabase.co (got "${text}").`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${flag} must start with https:// or http:// (got "${u.protocol}").`);
  if (u.username || u.password) throw new UsageError(`${flag} must not carry credentials; pass the key with --anon-key.`);
  return u.toString().replace(/\/$/, '');
}

/**
 * One organisation input across commands: `--org-id` (the widget probes' name, and $CAMPFIRE_ORG_ID's), with
 * the realtime probe's old `--org` kept as an alias. doctor and recover feed it to whichever probe was asked
 * for: the widget probes when --app-url is given, the realtime probe when any of its flags is.
 */
export function unifyOrg(opts: { org?: string; orgId?: string; appUrl?: string; supabaseUrl?: string; anonKey?: string; conv?: string; bindings?: string }): void {
  const org = opts.orgId ?? opts.org;
  const realtimeAsked = opts.org !== undefined || [opts.supabaseUrl, opts.anonKey, opts.conv, opts.bindings].some((v) => v !== undefined);
  const appAsked = opts.appUrl !== undefined || (opts.orgId !== undefined && !realtimeAsked);
  opts.org = realtimeAsked ? org : undefined;
  opts.orgId = appAsked ? org : undefined;
}

/**
 * A duration flag in milliseconds for the probe: `--timeout 5s` (doctor's duration syntax), or the old
 * `--timeout-ms 5000`. 0 is allowed where the probe allows it (no pause between sends).
 */
export function durationMs(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (/^\s*0+(\.0+)?\s*(ms|s|m)?\s*$/i.test(text)) return '0';
  return String(parseDuration(text, flag));
}

/** `names` tells the flag names used by the calling command, for the error lines. */
export function parseProbeFlags(
  raw: RawProbeFlags,
  names: { url: string; key: string; timeout?: string; interval?: string } = { url: '--supabase-url', key: '--anon-key' },
): Omit<ProbeOptions, 'signal' | 'bindings'> {
  registerSecret(raw.key);
  registerSecret(raw.accessToken);
  if (raw.accessToken !== undefined && !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(raw.accessToken.trim())) {
    throw new UsageError("--access-token must be a session's JWT (three dot-separated parts), as supabase.auth.getSession() returns it.");
  }
  if (raw.accessToken !== undefined && !raw.private) throw new UsageError('--access-token is for private channels: add --private (a public channel ignores the session).');
  if (!raw.url) throw new UsageError(`No Realtime to probe: pass ${names.url} https://PROJECT.supabase.co or set SUPABASE_URL.`);
  if (!raw.key) throw new UsageError(`No key: pass ${names.key} with the project's anon key or set SUPABASE_ANON_KEY.`);
  if (!raw.org?.trim()) throw new UsageError('--org-id is required: the organization id in the guide\'s channel names (bcast:org:{org}…).');
  if (!raw.conv?.trim()) throw new UsageError('--conv is required: a conversation id for bcast:org:{org}:conv:{conv}.');
  const kinds = (raw.channels ?? PROBE_DEFAULTS.channels).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = kinds.filter((k) => !(CHANNEL_KINDS as readonly string[]).includes(k));
  if (!kinds.length || bad.length) throw new UsageError(`--channels takes a comma list of ${CHANNEL_KINDS.join(', ')} (got "${raw.channels}").`);
  const channels = [...new Set(kinds)] as ChannelKind[];
  for (const k of channels) {
    if (Buffer.byteLength(`realtime:${channelName(k, raw.org, raw.conv)}`) > 255) throw new UsageError('--org-id and --conv are too long: a channel topic must fit in 255 bytes.');
  }
  const event = raw.event ?? PROBE_DEFAULTS.event;
  if (!event.trim() || Buffer.byteLength(event) > 255) throw new UsageError('--event must be a non-empty event name of at most 255 bytes, e.g. message:created.');
  const vsn = raw.vsn ?? '2.0.0';
  if (vsn !== '1.0.0' && vsn !== '2.0.0') throw new UsageError(`--vsn must be 1.0.0 or 2.0.0 (got "${vsn}").`);
  const transport = raw.transport;
  if (transport !== undefined && transport !== 'ws' && transport !== 'native') throw new UsageError(`--transport must be ws or native (got "${transport}").`);
  return {
    url: supabaseUrl(raw.url, names.url),
    key: raw.key,
    org: raw.org,
    conv: raw.conv,
    count: integer(raw.count ?? PROBE_DEFAULTS.count, '--count', 1, 100_000),
    intervalMs: integer(raw.intervalMs ?? PROBE_DEFAULTS.intervalMs, names.interval ?? '--interval-ms', 0, 60_000),
    timeoutMs: integer(raw.timeoutMs ?? PROBE_DEFAULTS.timeoutMs, names.timeout ?? '--timeout-ms', 100, 120_000),
    maxLatencyMs: integer(raw.maxLatencyMs ?? PROBE_DEFAULTS.maxLatencyMs, '--max-latency-ms', 1, 600_000),
    channels,
    event,
    private: Boolean(raw.private),
    ...(raw.accessToken ? { accessToken: raw.accessToken.trim() } : {}),
    exposure: raw.exposure !== false,
    vsn,
    ...(transport ? { transport } : {}),
  };
}
