import type pg from 'pg';
import type { CampfireConfig } from '../../src/config.js';
import { probeInTransaction, MARKED_ORGANIZATION_ID, type ProbeResult } from '../../src/probe/index.js';

/**
 * What Postgres does in a generated state, asked inside the caller's transaction (always rolled back):
 * - probe: the shared behavioural probe (src/probe), acting as each role along the widget's path;
 * - sync: whether the sync trigger copies an inserted conversation and then an update of it into
 *   realtime_conversations (the widget's insert and update, done as the connecting user so grants and
 *   row security do not hide the trigger's own behaviour);
 * - shadowed: whether a temp table named realtime_conversations, created by the session, receives the
 *   SECURITY DEFINER sync function's insert (the attack a pinned search_path prevents); null when the
 *   trigger never ran the function on that insert.
 */
export interface Observation {
  probe: ProbeResult;
  sync: { inserted: boolean; updated: boolean };
  shadowed: boolean | null;
}

/** `withSync: false` leaves out the sync and shadow observations (sync: not observed, shadowed: null). */
export async function observe(client: pg.ClientBase, config: CampfireConfig, roles: string[], withSync = true): Promise<Observation> {
  const probe = await probeInTransaction(client, config, { roles });
  if (!withSync) return { probe, sync: { inserted: false, updated: false }, shadowed: null };
  const sync = await syncObservation(client);
  const shadowed = await shadowObservation(client);
  return { probe, sync, shadowed };
}

async function inSavepoint<T>(client: pg.ClientBase, fn: () => Promise<T>, onError: T): Promise<T> {
  await client.query('SAVEPOINT campfire_observe');
  try {
    return await fn();
  } catch (err) {
    if (!(err as { code?: string }).code) throw err;
    return onError;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT campfire_observe');
    await client.query('RELEASE SAVEPOINT campfire_observe');
  }
}

async function syncObservation(client: pg.ClientBase): Promise<Observation['sync']> {
  return inSavepoint(client, async () => {
    const { rows } = await client.query<{ id: string }>(
      `insert into public.conversations (organization_id, customer_name) values ($1, 'campfire-sync-1') returning id`,
      [MARKED_ORGANIZATION_ID],
    );
    const id = rows[0]!.id;
    const inserted = (await client.query('select 1 from public.realtime_conversations where id = $1', [id])).rowCount! > 0;
    await client.query(`update public.conversations set customer_name = 'campfire-sync-2' where id = $1`, [id]);
    const after = await client.query<{ customer_name: string }>('select customer_name from public.realtime_conversations where id = $1', [id]);
    return { inserted, updated: after.rows[0]?.customer_name === 'campfire-sync-2' };
  }, { inserted: false, updated: false });
}

async function shadowObservation(client: pg.ClientBase): Promise<boolean | null> {
  return inSavepoint<boolean | null>(client, async () => {
    await client.query('create temp table realtime_conversations (like public.realtime_conversations including all)');
    await client.query(`insert into public.conversations (organization_id, customer_name) values ($1, 'campfire-shadow')`, [MARKED_ORGANIZATION_ID]);
    const temp = await client.query<{ n: number }>('select count(*)::int as n from pg_temp.realtime_conversations');
    const real = await client.query<{ n: number }>(`select count(*)::int as n from public.realtime_conversations where customer_name = 'campfire-shadow'`);
    if (temp.rows[0]!.n > 0) return true;
    return real.rows[0]!.n > 0 ? false : null;
  }, null);
}
