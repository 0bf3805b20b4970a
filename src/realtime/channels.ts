/** The guide's three broadcast channels ("Minimize Broadcast Channels"), with the bcast: prefix it requires. */
export const CHANNEL_KINDS = ['conv', 'org', 'list'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export function channelName(kind: ChannelKind, org: string, conv: string): string {
  switch (kind) {
    case 'conv':
      return `bcast:org:${org}:conv:${conv}`;
    case 'org':
      return `bcast:org:${org}`;
    case 'list':
      return `bcast:org:${org}:conversations`;
  }
}

/**
 * The guide's broadcast-only channel config ("Verify Channel Configuration"), except that the probe turns
 * ack on: without it send() resolves "ok" before the server has seen anything, and nothing can be timed.
 */
export function guideChannelConfig(isPrivate: boolean): Record<string, unknown> {
  return {
    broadcast: { ack: true },
    presence: { ack: false },
    postgres_changes: [],
    ...(isPrivate ? { private: true } : {}),
  };
}
