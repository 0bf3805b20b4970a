import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { MESSAGES_PUBLICATION, planPublication, type FullTables } from '../fixes/publication.js';
import { runFix, type FixOptions } from './fix.js';

export interface FixPublicationOptions extends FixOptions {
  fullTables: 'refuse' | 'no-column-list';
  replicaIdentity?: 'default';
}

export async function fixPublication(opts: FixPublicationOptions, io: Io): Promise<number> {
  if (opts.replicaIdentity && opts.fullTables === 'no-column-list') {
    throw new UsageError('Choose one way out for REPLICA IDENTITY FULL tables: --replica-identity default or --full-tables no-column-list, not both.');
  }
  const fullTables: FullTables = opts.replicaIdentity === 'default' ? 'replica-identity-default' : opts.fullTables;
  return runFix('fix-publication', opts, io, (snap, config) => planPublication(snap, config, { fullTables }), (config) => {
    if (config.publication === MESSAGES_PUBLICATION) {
      throw new UsageError(`${MESSAGES_PUBLICATION} belongs to Realtime's broadcast-from-database and campfire never changes it: configure the postgres_changes publication (supabase_realtime).`);
    }
  });
}
