import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the demo keeps its Postgres: the data directory, the generated password, the server log, the lock. */
export interface DemoLocation {
  dir: string;
  data: string;
  passwordFile: string;
  log: string;
  lock: string;
  undoDir: string;
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
export const ROOT_FALLBACK_DIR = '/var/cache/campfire/demo';

export function demoLocation(env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? -1): DemoLocation {
  let dir = path.join(userCacheDir(env), 'campfire', 'demo');
  let note: string | undefined;
  // As root, Postgres runs as the "postgres" user, which must be able to walk down to the data directory.
  if (uid === 0) {
    const blocked = firstClosedAncestor(dir);
    if (blocked) {
      note = `${blocked} is closed to other users, so the postgres user cannot reach ${dir}; using ${ROOT_FALLBACK_DIR} instead`;
      dir = ROOT_FALLBACK_DIR;
    }
  }
  return at(dir, note);
}

function at(dir: string, note?: string): DemoLocation {
  return {
    dir,
    data: path.join(dir, 'data'),
    passwordFile: path.join(dir, 'password'),
    log: path.join(dir, 'server.log'),
    lock: path.join(dir, 'demo.lock'),
    undoDir: path.join(dir, 'undo'),
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
