import { applyMigrations, type ApplyResult } from './apply.js';
import { containerShadow, urlShadow, withClient, type ShadowDatabase } from './engines.js';
import { embeddedShadow, type EmbeddedTiming } from './embedded.js';
import { displayPath, type MigrationFolder } from './files.js';
import { checkShadowOptions, type ShadowOptions } from './options.js';
import path from 'node:path';

export interface BuiltShadow extends ShadowDatabase {
  folder: MigrationFolder;
  applied: ApplyResult;
  /** What the report's target says: folder, number of files, last version, engine. */
  description: string;
  timing: EmbeddedTiming & { applyMs: number; startMs: number };
}

/** Starts the shadow engine, loads the baseline, applies every migration and the seed. The caller disposes. */
export async function buildShadow(opts: ShadowOptions, env: NodeJS.ProcessEnv): Promise<BuiltShadow> {
  const folder = checkShadowOptions(opts);
  const timing = { initialised: false, templateBuilt: false, applyMs: 0, startMs: 0 };
  const t0 = performance.now();
  const db = opts.shadowUrl
    ? await urlShadow(opts.shadowUrl)
    : opts.shadow === 'container'
      ? await containerShadow(opts.shadowImage)
      : await embeddedShadow(env, timing);
  timing.startMs = performance.now() - t0;
  try {
    const t1 = performance.now();
    const files = folder.files.map((f) => ({ file: f.file }));
    if (opts.seed) files.push({ file: displayPath(path.resolve(opts.seed)) });
    const applied = await withClient(db.url, async (c) => {
      // The CLI connects as postgres; NOTICEs of IF NOT EXISTS are noise here.
      await c.query('set client_min_messages = warning');
      return applyMigrations(c, files, { skipMissingExtensions: opts.skipMissingExtensions });
    });
    timing.applyMs = performance.now() - t1;
    const last = folder.files.at(-1)?.version;
    const n = folder.files.length;
    const description = `migrations ${folder.dir} (${n} file${n === 1 ? '' : 's'}${last ? `, last ${last}` : ''}${opts.seed ? `, seed ${displayPath(path.resolve(opts.seed))}` : ''}) on a shadow database, ${db.engine}`;
    return { ...db, folder, applied, description, timing };
  } catch (err) {
    await db.dispose();
    throw err;
  }
}
