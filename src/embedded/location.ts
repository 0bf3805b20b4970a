import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where an embedded PostgreSQL cluster lives: the data directory, its generated password, the server log
 * and the lock. The demo and the shadow database each have one under the user's cache directory; the
 * tests make one in a temp folder.
 */
export interface ClusterLocation {
  /** Who the cluster is for, in messages: "demo", "shadow", "test". */
  label: string;
  dir: string;
  data: string;
  passwordFile: string;
  log: string;
  lock: string;
  /** Why the usual cache directory was not used (root whose home the postgres user cannot enter). */
  note?: string;
}

/** The user's cache directory, as the platform defines it. */
export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return env.XDG_CACHE_HOME;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  if (platform === 'win32') return env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
  return path.join(home, '.cache');
}

/** Used as root when the cache dir cannot be entered by the postgres user (e.g. /root is 0700). */
export const ROOT_FALLBACK_BASE = '/var/cache/campfire';

/** ~/.cache/campfire/<name> (or /var/cache/campfire/<name> as root when the postgres user cannot reach the cache). */
export function cacheClusterLocation(name: string, env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? -1): ClusterLocation {
  let dir = path.join(userCacheDir(env), 'campfire', name);
  let note: string | undefined;
  // As root, Postgres runs as the "postgres" user, which must be able to walk down to the data directory.
  if (uid === 0) {
    const blocked = firstClosedAncestor(dir);
    if (blocked) {
      const fallback = path.join(ROOT_FALLBACK_BASE, name);
      note = `${blocked} is closed to other users, so the postgres user cannot reach ${dir}; using ${fallback} instead`;
      dir = fallback;
    }
  }
  return clusterAt(dir, name, note);
}

export function clusterAt(dir: string, label: string, note?: string): ClusterLocation {
  return {
    label,
    dir,
    data: path.join(dir, 'data'),
    passwordFile: path.join(dir, 'password'),
    log: path.join(dir, 'server.log'),
    lock: path.join(dir, `${label}.lock`),
    ...(note ? { note } : {}),
  };
}

/** The first existing ancestor of `dir` (itself excluded) that others cannot search, if any. */
export function firstClosedAncestor(dir: string): string | undefined {
  let p = path.dirname(dir);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of chain) {
    let mode: number;
    try {
      mode = statSync(d).mode;
    } catch {
      return undefined; // does not exist yet: campfire creates it (0755) from here down
    }
    if ((mode & 0o001) === 0) return d;
  }
  return undefined;
}
