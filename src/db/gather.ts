import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from './catalog.js';
import { connect, connectionError, type ConnectOptions } from './connect.js';
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
    // Timeouts and lost connections are the user's environment, not a campfire bug.
    if (code === '57014' || code === 'ECONNRESET' || code === '57P01' || /Connection terminated/.test(String(err))) {
      throw connectionError(err, target, opts);
    }
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}
