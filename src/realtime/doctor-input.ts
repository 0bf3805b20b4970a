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
}

export type RealtimeInput = { options: Omit<ProbeOptions, 'signal'> } | { skip: string };

export function realtimeInputFrom(flags: DoctorRealtimeFlags, env: NodeJS.ProcessEnv): RealtimeInput {
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
  const options = parseProbeFlags({ url, key, org: flags.org, conv: flags.conv, maxLatencyMs: flags.maxLatencyMs }, { url: '--supabase-url', key: '--anon-key' });
  return { options };
}

export async function gatherRealtime(options: Omit<ProbeOptions, 'signal'>, _io: Io): Promise<ProbeStats> {
  const { result } = await withInterrupt((signal) => probeBroadcast({ ...options, signal }));
  return result;
}
