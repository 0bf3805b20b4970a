import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from './catalog.js';
import { isSessionLost, UsageError } from '../errors.js';
import { describeHolder, queryHolders, type Holder } from '../fixes/apply.js';
import { connect, connectionError, sessionEndedBy, type ConnectOptions } from './connect.js';
import { readSnapshot } from './snapshot.js';
import type { DatabaseTarget } from './url.js';

/**
 * Reads the catalog inside a READ ONLY transaction: doctor cannot write even if a check had a bug,
 * and the snapshot is consistent across every catalog it reads.
 */
export async function gatherDatabase(target: DatabaseTarget, config: CampfireConfig, opts: ConnectOptions): Promise<CatalogSnapshot> {
  const client = await connect(target, opts);
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await readSnapshot(client, config);
    await client.query('ROLLBACK');
    return snap;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '57014') {
      // Reading a policy's expression takes ACCESS SHARE on its table (PostgreSQL 15+), so a session
      // holding ACCESS EXCLUSIVE there (a migration, a stuck ALTER) stalls doctor: name it.
      const holders = await exclusiveHolders(client, config).catch(() => []);
      if (holders.length) {
        const e = connectionError(err, target, opts);
        throw new UsageError(`${e.message.replace(/: the server is busy.*$/, '')} waiting for a lock: held by ${holders.map(describeHolder).join('; ')}. Retry when it is done, or raise --statement-timeout.`);
      }
    }
    // Timeouts and lost connections are the user's environment, not a campfire bug.
    if (code === '57014' || isSessionLost(err)) {
      // A later query only says "not queryable"; the client heard why the session ended (57P01 …).
      throw connectionError(code === '57014' ? err : (sessionEndedBy(client) ?? err), target, opts);
    }
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Sessions holding ACCESS EXCLUSIVE (the one mode that blocks a catalog read) on the guide's tables. */
async function exclusiveHolders(client: Awaited<ReturnType<typeof connect>>, config: CampfireConfig): Promise<Holder[]> {
  await client.query('ROLLBACK');
  await client.query('SET statement_timeout = 2000');
  const tables = Object.values(config.tables).map((t) => `${config.schema}.${t}`);
  return (await queryHolders(client, 'lock-holders.sql', [tables])).filter((h) => h.mode === 'AccessExclusiveLock');
}
