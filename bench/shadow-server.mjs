// A running embedded PostgreSQL for the shadow benchmark's --shadow-url and psql runs (src/embedded, built).
import { chmodSync, mkdirSync, rmSync } from 'node:fs';

export async function startServerForBench(dir) {
  const { findBinaries } = await import('../dist/embedded/binaries.js');
  const { ensureCluster, prepareDir, runAsFor, startServer, stopServer } = await import('../dist/embedded/cluster.js');
  const { clusterAt } = await import('../dist/embedded/location.js');
  const { readServerState } = await import('../dist/embedded/pidfile.js');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const loc = clusterAt(dir, 'bench');
  const bins = await findBinaries();
  prepareDir(loc);
  const { password } = await ensureCluster(loc, bins);
  const as = await runAsFor();
  const port = await startServer(loc, bins, as);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      const s = readServerState(loc.data);
      if (s.kind === 'running') await stopServer(loc, bins, as, s.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
