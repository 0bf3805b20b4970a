import path from 'node:path';
import { cacheClusterLocation, ROOT_FALLBACK_BASE, type ClusterLocation } from '../embedded/location.js';

export { firstClosedAncestor, userCacheDir } from '../embedded/location.js';

/** Where the demo keeps its Postgres (an embedded cluster named "demo") and the undo scripts of its fixes. */
export interface DemoLocation extends ClusterLocation {
  undoDir: string;
}

export const ROOT_FALLBACK_DIR = path.join(ROOT_FALLBACK_BASE, 'demo');

export function demoLocation(env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? -1): DemoLocation {
  const loc = cacheClusterLocation('demo', env, uid);
  return { ...loc, undoDir: path.join(loc.dir, 'undo') };
}
