/**
 * doctor's realtime section: runs the same probe as probe-broadcast when its inputs are given, and
 * otherwise says why its checks are skipped.
 */
import type { Io } from '../io.js';
import { registerSecret } from '../secrets.js';
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
  private?: boolean;
  accessToken?: string;
}

export type RealtimeInput = { options: Omit<ProbeOptions, 'signal'> } | { skip: string };

/** `exposure`: whether realtime.channel-exposure is selected (the outsider test runs only for it). */
export function realtimeInputFrom(flags: DoctorRealtimeFlags, env: NodeJS.ProcessEnv, exposure = true): RealtimeInput {
  const explicit = [flags.supabaseUrl, flags.anonKey, flags.org, flags.conv].some((v) => v !== undefined);
  const url = flags.supabaseUrl ?? env.SUPABASE_URL;
  const key = flags.anonKey ?? env.SUPABASE_ANON_KEY;
  registerSecret(key);
  if (!explicit) {
    return url && key
      ? { skip: 'SUPABASE_URL and SUPABASE_ANON_KEY are set but --org and --conv are not: pass them to probe the realtime channels' }
      : { skip: 'no Realtime input: pass --supabase-url, --anon-key, --org and --conv (or set SUPABASE_URL and SUPABASE_ANON_KEY)' };
  }
  // Flags given explicitly but incomplete are a usage error, as for probe-broadcast.
  const accessToken = flags.accessToken ?? (flags.private ? env.CAMPFIRE_ACCESS_TOKEN : undefined);
  const options = parseProbeFlags(
    { url, key, org: flags.org, conv: flags.conv, maxLatencyMs: flags.maxLatencyMs, private: flags.private, accessToken, exposure },
    { url: '--supabase-url', key: '--anon-key' },
  );
  return { options };
}

export async function gatherRealtime(options: Omit<ProbeOptions, 'signal'>, _io: Io): Promise<ProbeStats> {
  const { result } = await withInterrupt((signal) => probeBroadcast({ ...options, signal }));
  return result;
}
