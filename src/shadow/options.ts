import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { listMigrations, type MigrationFolder } from './files.js';

export interface ShadowOptions {
  migrations: string;
  seed?: string;
  /** "embedded" (default) or "container". */
  shadow?: string;
  shadowUrl?: string;
  shadowImage?: string;
  skipMissingExtensions?: boolean;
}

/** Validates the shadow flags before anything starts (a usage error changes nothing). */
export function checkShadowOptions(opts: ShadowOptions): MigrationFolder {
  if (opts.shadow && opts.shadow !== 'embedded' && opts.shadow !== 'container') {
    throw new UsageError(`--shadow must be embedded or container (got ${opts.shadow}).`);
  }
  if (opts.shadowUrl && opts.shadow === 'container') throw new UsageError('--shadow container and --shadow-url contradict each other: give one of them.');
  if (opts.seed && !(existsSync(opts.seed) && statSync(opts.seed).isFile())) throw new UsageError(`--seed ${opts.seed} does not exist or is not a file.`);
  return listMigrations(opts.migrations);
}

