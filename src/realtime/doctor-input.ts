/**
 * doctor's realtime section: runs the same probe as probe-broadcast when its inputs are given, and
 * otherwise says why its checks are skipped.
 */
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { loadBindings } from './bindings.js';
import { channelName } from './channels.js';
import { withInterrupt } from './interrupt.js';
import { parseProbeFlags } from './options.js';
import { probeBroadcast, type ProbeOptions } from './probe.js';
import type { ProbeStats } from './stats.js';

export interface DoctorRealtimeFlags {
  supabaseUrl?: string;
  anonKey?: string;
  org?: string;
  conv?: string;
  maxLatencyMs?: string;
  /** realtime.bindings: the app's postgres_changes bindings (JSON), joined alongside the probe. */
  bindings?: string;
  private?: boolean;
  accessToken?: string;
}

export type RealtimeInput = { options: Omit<ProbeOptions, 'signal'> } | { skip: string };

/**
 * Validates the realtime flags (and reads --bindings) before anything is gathered.
 * `exposure`: whether realtime.channel-exposure is selected (the outsider test runs only for it).
 */
export async function realtimeInputFrom(flags: DoctorRealtimeFlags, env: NodeJS.ProcessEnv, exposure = true): Promise<RealtimeInput> {
  const explicit = [flags.supabaseUrl, flags.anonKey, flags.org, flags.conv].some((v) => v !== undefined);
  if (flags.bindings !== undefined && !explicit && !(flags.supabaseUrl ?? env.SUPABASE_URL)) {
    throw new UsageError('--bindings is checked by joining Realtime: give --supabase-url, --anon-key, --org-id and --conv too.');
  }
  const url = flags.supabaseUrl ?? env.SUPABASE_URL;
  const key = flags.anonKey ?? env.SUPABASE_ANON_KEY;
  registerSecret(key);
  if (!explicit && flags.bindings === undefined) {
    return url && key
      ? { skip: 'SUPABASE_URL and SUPABASE_ANON_KEY are set but --org-id and --conv are not: pass them to probe the realtime channels' }
      : { skip: 'no Realtime input: pass --supabase-url, --anon-key, --org-id and --conv (or set SUPABASE_URL and SUPABASE_ANON_KEY)' };
  }
  // Flags given explicitly but incomplete are a usage error, as for probe-broadcast.
  const accessToken = flags.accessToken ?? (flags.private ? env.CAMPFIRE_ACCESS_TOKEN : undefined);
  const options = parseProbeFlags(
    { url, key, org: flags.org, conv: flags.conv, maxLatencyMs: flags.maxLatencyMs, private: flags.private, accessToken, exposure },
    { url: '--supabase-url', key: '--anon-key' },
  );
  if (flags.bindings === undefined) return { options };
  const bindings = await loadBindings(flags.bindings, `${channelName('conv', options.org, options.conv)}:bindings`);
  return { options: { ...options, bindings } };
}

export async function gatherRealtime(options: Omit<ProbeOptions, 'signal'>, _io: Io): Promise<ProbeStats> {
  const { result } = await withInterrupt((signal) => probeBroadcast({ ...options, signal }));
  return result;
}
