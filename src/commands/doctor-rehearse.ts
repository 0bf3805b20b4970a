import type { RehearsalInput } from '../checks/rehearsal/input.js';
import type { CampfireConfig } from '../config.js';
import { connect, type ConnectOptions } from '../db/connect.js';
import type { DatabaseTarget } from '../db/url.js';
import { rehearse } from '../probe/run.js';

/**
 * doctor --rehearse: the widget path as anon, then authenticated, in its own transaction that is always
 * rolled back, on its own connection (the catalog read stays READ ONLY).
 */
export async function gatherRehearsal(target: DatabaseTarget, config: CampfireConfig, connectOpts: ConnectOptions, orgId?: string): Promise<RehearsalInput> {
  const client = await connect(target, connectOpts);
  try {
    const probe = await rehearse(client, config, {
      roles: [config.roles.anon, config.roles.authenticated],
      organizationId: orgId?.trim() || undefined,
      statementTimeoutMs: Math.min(connectOpts.statementTimeoutMs, 5000),
    });
    return { probe };
  } finally {
    await client.end().catch(() => {});
  }
}
