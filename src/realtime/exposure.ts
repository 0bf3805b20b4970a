/**
 * Who can listen: the probe joins the app's channels as an outsider holding only the publishable (anon)
 * key and no session — what every visitor's browser has — and checks whether it receives what the app
 * broadcasts there. On a public channel the answer is always yes (Realtime authorises nothing); on a
 * private channel the join must be refused unless a realtime.messages policy admits anon for the topic.
 * With an access token for the app's own session, it also tries another organisation's topic, which a
 * policy scoped by organisation must refuse.
 */
import { randomUUID } from 'node:crypto';
import { channelName, guideChannelConfig, type ChannelKind } from './channels.js';
import { createParty, type Party, type PartyOptions } from './party.js';
import type { JoinOutcome } from './stats.js';
import { until } from './wait.js';

/** The guide's org-wide channels carry every conversation's events; the per-conversation one carries one. */
export type ChannelScope = 'org-wide' | 'conversation';

export interface EavesdropOutcome {
  channel: string;
  scope: ChannelScope;
  /** anon: the publishable key and no session. session: the --access-token, on another organisation's topic. */
  as: 'anon' | 'session';
  join: JoinOutcome;
  /** Broadcasts the app's side sent while the outsider listened (0 when it could not join). */
  sent: number;
  received: number;
  /** Why nothing could be sent (the app's own sender could not join), when that happened. */
  senderProblem?: string;
}

export interface ExposureStats {
  private: boolean;
  /** True when the app's side joined with --access-token (so a cross-organisation join was tried). */
  withSession: boolean;
  attempts: EavesdropOutcome[];
}

export interface ExposureOptions {
  org: string;
  conv: string;
  channels: readonly ChannelKind[];
  event: string;
  private: boolean;
  accessToken?: string;
}

const SAMPLES = 3;

export const scopeOf = (kind: ChannelKind): ChannelScope => (kind === 'conv' ? 'conversation' : 'org-wide');

export async function probeExposure(o: ExposureOptions, po: PartyOptions, all: Party[], signal: AbortSignal): Promise<ExposureStats> {
  const stats: ExposureStats = { private: o.private, withSession: Boolean(o.accessToken), attempts: [] };
  for (const kind of o.channels) {
    if (signal.aborted) break;
    stats.attempts.push(await eavesdrop(channelName(kind, o.org, o.conv), scopeOf(kind), 'anon', o, po, all, signal));
  }
  // A session of this organisation must not read another one's org-wide channel.
  if (o.private && o.accessToken && !signal.aborted && o.channels.some((k) => k !== 'conv')) {
    const other = `campfire-probe-other-${randomUUID().slice(0, 8)}`;
    const kind = o.channels.find((k) => k !== 'conv')!;
    stats.attempts.push(await eavesdrop(channelName(kind, other, o.conv), 'org-wide', 'session', o, po, all, signal));
  }
  return stats;
}

async function eavesdrop(name: string, scope: ChannelScope, as: 'anon' | 'session', o: ExposureOptions, po: PartyOptions, all: Party[], signal: AbortSignal): Promise<EavesdropOutcome> {
  const runId = `exposure-${randomUUID()}`;
  let received = 0;
  const outsider = await createParty(as === 'session' ? { ...po, accessToken: o.accessToken } : { ...po, accessToken: undefined }, {
    name,
    config: guideChannelConfig(o.private),
    listen: (ch) =>
      ch.on('broadcast', { event: o.event }, (msg: { payload?: { probe?: string } }) => {
        if (msg.payload?.probe === runId) received++;
      }),
  });
  all.push(outsider);
  const out: EavesdropOutcome = { channel: name, scope, as, join: await outsider.join(signal), sent: 0, received: 0 };
  if (out.join.status !== 'SUBSCRIBED' || signal.aborted) return out;

  // The app's own side: the same channel, joined as the app joins it (with its session when given).
  const sender = await createParty(po, { name, config: guideChannelConfig(o.private) });
  all.push(sender);
  const joined = await sender.join(signal);
  if (joined.status !== 'SUBSCRIBED') {
    out.senderProblem = `the probe's sender could not join ${name}: ${joined.reason ?? joined.status}`;
    return out;
  }
  for (let seq = 0; seq < SAMPLES && !signal.aborted; seq++) {
    out.sent++;
    await sender.channel.send({ type: 'broadcast', event: o.event, payload: { probe: runId, seq } }, { timeout: po.timeoutMs });
  }
  await until(() => received >= out.sent, po.timeoutMs, signal);
  out.received = received;
  return out;
}
