import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { findBinaries } from '../embedded/binaries.js';
import { clearPrevious, ensureCluster, prepareDir, requestStop, runAsFor, startServer, stopServer } from '../embedded/cluster.js';
import { cacheClusterLocation } from '../embedded/location.js';
import { waitForLock } from '../embedded/lock.js';
import { readServerState } from '../embedded/pidfile.js';
import { registerSecret } from '../secrets.js';
import { baselineTag } from './baseline.js';
import { dropDatabase, loadBaseline, once, shadowDatabaseName, withClient, withDatabase, type ShadowDatabase } from './engines.js';

export interface EmbeddedTiming {
  /** initdb ran (first use, or a new PostgreSQL major). */
  initialised: boolean;
  /** The baseline template database was built this run. */
  templateBuilt: boolean;
}

/**
 * The default shadow: the embedded PostgreSQL the demo uses, in its own cluster under the user's cache
 * (~/.cache/campfire/shadow). The cluster and a template database holding the Supabase baseline outlive
 * the run, so the next run pays for a server start and CREATE DATABASE … TEMPLATE, not for initdb and the
 * baseline. One shadow run at a time per cluster: a second waits for the lock.
 */
export async function embeddedShadow(env: NodeJS.ProcessEnv, timing?: EmbeddedTiming): Promise<ShadowDatabase> {
  const bins = await findBinaries();
  const loc = cacheClusterLocation('shadow', env);
  prepareDir(loc);
  const release = await waitForLock(loc.lock, 'shadow', 300_000);
  let as = await runAsFor();
  let port: number;
  let password: string;
  try {
    await clearPrevious(loc, bins, as);
    const made = await ensureCluster(loc, bins);
    password = made.password;
    registerSecret(password);
    if (made.initialised) as = await runAsFor();
    port = await startServer(loc, bins, as);
    if (timing) timing.initialised = made.initialised;
  } catch (err) {
    release();
    throw err;
  }
  const server = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    const state = readServerState(loc.data);
    if (state.kind !== 'running') return;
    await requestStop(loc, bins, as).catch(() => stopServer(loc, bins, as, state.pid).catch(() => {}));
  };
  const name = shadowDatabaseName();
  // Ctrl-C must not leave the server running (pg_ctl detached it): ask it to stop on the way out. The
  // half-made shadow database is dropped by the next run, which holds the lock.
  const onSignal = (sig: NodeJS.Signals) => {
    spawnSync(bins.pg_ctl, ['stop', '-D', loc.data, '-m', 'fast', '-W'], { cwd: loc.dir, stdio: 'ignore', ...as });
    rmSync(loc.lock, { force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const dispose = once(async () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    try {
      await dropDatabase(server, name);
      await stop();
    } finally {
      release();
    }
  });
  try {
    const template = `campfire_baseline_${await baselineTag()}`;
    const built = await ensureTemplate(server, template);
    if (timing) timing.templateBuilt = built;
    await withClient(server, (c) => c.query(`create database ${name} template ${template}`));
  } catch (err) {
    await dispose();
    throw err;
  }
  return { url: withDatabase(server, name), engine: `embedded PostgreSQL ${bins.version}`, dispose };
}

/** A template database with the baseline; made once per baseline content (older ones are dropped). */
async function ensureTemplate(server: string, template: string): Promise<boolean> {
  return withClient(server, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'campfire\\_%'`);
    // Shadow databases of a run that was killed, and templates of an older baseline: the lock says no one uses them.
    for (const r of rows) {
      if (r.datname === template) continue;
      await c.query(`alter database ${r.datname} is_template false`).catch(() => {});
      await c.query(`drop database if exists ${r.datname} with (force)`);
    }
    if (rows.some((r) => r.datname === template)) return false;
    const building = `${template}_building`;
    await c.query(`drop database if exists ${building} with (force)`);
    await c.query(`create database ${building}`);
    await loadBaseline(withDatabase(server, building));
    // Renamed only once complete: a run killed half-way never leaves a half-made template behind.
    await c.query(`alter database ${building} rename to ${template}`);
    await c.query(`alter database ${template} is_template true`);
    return true;
  });
}
