/**
 * One independent supabase-js client holding one channel: the probe's sender or receiver. Each has its
 * own socket, so a broadcast really crosses the server, as between the app's server and a browser.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { HeartbeatOutcome, JoinOutcome } from './stats.js';
import { sleep, until, within } from './wait.js';

export interface PartyOptions {
  url: string;
  key: string;
  vsn: string;
  transport: 'ws' | 'native';
  timeoutMs: number;
  /** A session's JWT for Realtime (private channels); without it realtime-js sends the anon key, as a visitor would. */
  accessToken?: string | undefined;
}

export interface ChannelSetup {
  name: string;
  config: Record<string, unknown>;
  /** Registered before subscribe(), as realtime-js requires. */
  listen?: (channel: RealtimeChannel) => void;
}

export interface Party {
  client: SupabaseClient;
  channel: RealtimeChannel;
  /** Socket opens seen (the first connect and every reconnect). */
  opens: number;
  /** send() calls realtime-js routed to the REST endpoint (it logs each one). */
  restFallbacks: number;
  /** The postgres_changes echo of the last join reply, when one was seen. */
  joinEcho: unknown[] | null;
  /** The first subscribe() status; on abort, NOT_ATTEMPTED (the probe stopped waiting). */
  join(signal?: AbortSignal): Promise<JoinOutcome>;
  heartbeat(): Promise<HeartbeatOutcome>;
  cleanup(): Promise<void>;
}

export async function createParty(opts: PartyOptions, setup: ChannelSetup): Promise<Party> {
  // Heavy modules load only when a probe runs.
  const { createClient } = await import('@supabase/supabase-js');
  const transport = opts.transport === 'ws' ? (await import('ws')).default : undefined;
  let heartbeatListener: ((status: string, latency?: number) => void) | null = null;

  const party = {} as Party;
  party.opens = 0;
  party.restFallbacks = 0;
  party.joinEcho = null;
  // A logger keeps realtime-js off the console (its warnings would land in --json output) and is the
  // only public view of socket opens, REST fallbacks and the join reply.
  const logger = (kind: string, msg: string, data?: unknown) => {
    if (kind === 'transport' && msg.startsWith('connected to ')) party.opens++;
    else if (kind === 'channel' && msg.includes('falling back to REST')) party.restFallbacks++;
    else if (kind === 'receive' && msg.includes(`realtime:${setup.name} phx_reply`)) {
      const echo = (data as { response?: { postgres_changes?: unknown } } | undefined)?.response?.postgres_changes;
      if (Array.isArray(echo)) party.joinEcho = echo;
    }
  };

  const token = opts.accessToken;
  const client = createClient(opts.url, opts.key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // supabase-js's own hook for a token from elsewhere: realtime-js asks it on every join and reconnect,
    // so the session is never silently downgraded to the anon key (as a token set once by hand can be).
    ...(token ? { accessToken: async () => token } : {}),
    realtime: {
      vsn: opts.vsn,
      timeout: opts.timeoutMs,
      // A dead heartbeat must show within the probe's own wait, not after the default 25 s.
      heartbeatIntervalMs: opts.timeoutMs,
      logger,
      heartbeatCallback: (status: string, latency?: number) => heartbeatListener?.(status, latency),
      ...(transport ? { transport: transport as never } : {}),
    },
  });
  const channel = client.channel(setup.name, { config: setup.config as never });
  setup.listen?.(channel);
  party.client = client;
  party.channel = channel;

  party.join = (signal) => {
    const started = performance.now();
    const first = new Promise<JoinOutcome>((resolve) => {
      let settled = false;
      let closedFirst: ReturnType<typeof setTimeout> | undefined;
      channel.subscribe((status, err) => {
        // The callback fires again on every automatic retry: the first status is the join outcome.
        if (settled) return;
        const outcome: JoinOutcome = { status, ms: Math.round(performance.now() - started) };
        if (err) outcome.reason = err.message;
        if (status === 'CLOSED' && !closedFirst) {
          // On a bindings mismatch realtime-js unsubscribes (CLOSED) and then, in the same tick,
          // reports CHANNEL_ERROR with the reason: prefer that one.
          closedFirst = setTimeout(() => {
            settled = true;
            resolve(outcome);
          }, 0);
          return;
        }
        clearTimeout(closedFirst);
        settled = true;
        resolve(outcome);
      }, opts.timeoutMs);
    });
    // realtime-js reports TIMED_OUT itself after timeoutMs; the margin only guards against it never firing.
    return within(first, opts.timeoutMs + 1000, null, signal).then(
      (o): JoinOutcome => o ?? (signal?.aborted ? { status: 'NOT_ATTEMPTED', reason: 'the probe stopped before the join completed' } : { status: 'TIMED_OUT', ms: opts.timeoutMs }),
    );
  };

  party.heartbeat = async () => {
    const started = performance.now();
    const answer = new Promise<HeartbeatOutcome>((resolve) => {
      heartbeatListener = (status, latency) => {
        if (status === 'ok') resolve({ status: 'ok', roundTripMs: latency ?? Math.round(performance.now() - started) });
        else if (status === 'timeout' || status === 'error') resolve({ status });
      };
    });
    await client.realtime.sendHeartbeat();
    const outcome = await within(answer, opts.timeoutMs + 500, { status: 'timeout' } as HeartbeatOutcome);
    heartbeatListener = null;
    return outcome;
  };

  party.cleanup = async () => {
    heartbeatListener = null;
    const rt = client.realtime;
    // A teardown already under way (after a heartbeat timeout or a dropped socket) schedules a
    // reconnect when it finishes, which can be after disconnect() has cancelled the last one: the
    // probe is done with this client, so its reconnect timer is switched off first.
    const reconnect = rt.reconnectTimer as { reset(): void; scheduleTimeout(): void } | undefined;
    if (reconnect) {
      reconnect.reset();
      reconnect.scheduleTimeout = () => {};
    }
    await within(client.removeChannel(channel), opts.timeoutMs, 'timed out');
    // realtime-js's disconnect() returns early while the socket is closing: wait for that first.
    await until(() => !rt.isDisconnecting(), opts.timeoutMs);
    await within(rt.disconnect(), opts.timeoutMs, 'timed out');
    await sleep(0);
  };
  return party;
}
