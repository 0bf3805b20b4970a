import type { Client } from 'pg';
import type { ConnectOptions } from '../db/connect.js';
import { connect } from '../db/connect.js';
import type { DatabaseTarget } from '../db/url.js';
import { EXIT } from '../errors.js';
import { describeHolder, queryHolders, type Holder } from '../fixes/apply.js';

/**
 * The recovery lock's keys ("camp", "recv"): different from the fix lock, because recover's own database
 * steps take the fix lock in their transactions while this one is held for the whole run.
 */
export const RECOVERY_LOCK_KEYS = [0x63616d70, 0x72656376] as const;

/** The application_name the lock's connection carries, so a second recover (or pg_stat_activity) can name it. */
export const RECOVERY_APPLICATION = 'campfire recover';

export class RecoveryBusy extends Error {
  readonly exitCode = EXIT.usage;
  constructor(readonly holder: Holder | undefined) {
    super(`another campfire recover is in progress on this database${holder ? ` (${describeHolder(holder)})` : ''}: nothing was changed; let it finish (or end that session) and run again`);
  }
}

export interface RecoveryLock {
  /** The lock's own connection: also used for the read-only catalog reads before each step. */
  client: Client;
  pid: number;
  release(): Promise<void>;
}

/**
 * Takes the session-level advisory lock on a connection of its own and keeps it until release(): one recovery
 * at a time per database, whatever happens between steps. If the process dies the server drops the session,
 * and the lock with it.
 */
export async function takeRecoveryLock(target: DatabaseTarget, opts: ConnectOptions): Promise<RecoveryLock> {
  const client = await connect(target, opts);
  try {
    await client.query(`SET application_name = '${RECOVERY_APPLICATION}'`);
    const { rows } = await client.query<{ ok: boolean; pid: number }>('select pg_try_advisory_lock($1, $2) as ok, pg_backend_pid() as pid', [...RECOVERY_LOCK_KEYS]);
    if (!rows[0]?.ok) {
      const holders = await queryHolders(client, 'advisory-lock-holder.sql', [...RECOVERY_LOCK_KEYS]).catch(() => []);
      throw new RecoveryBusy(holders[0]);
    }
    const pid = rows[0].pid;
    return {
      client,
      pid,
      release: async () => {
        await client.query('select pg_advisory_unlock($1, $2)', [...RECOVERY_LOCK_KEYS]).catch(() => {});
        await client.end().catch(() => {});
      },
    };
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
}
