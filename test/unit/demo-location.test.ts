import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/embedded/binaries.js';
import { demoLocation, firstClosedAncestor, ROOT_FALLBACK_DIR, userCacheDir } from '../../src/demo/location.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-demo-loc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo location', () => {
  it("uses the platform's cache dir", () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe('/x/cache');
    expect(userCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.cache');
    expect(userCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches');
    expect(demoLocation({ XDG_CACHE_HOME: '/x/cache' }, 1000).data).toBe('/x/cache/campfire/demo/data');
  });

  it('as root, moves away from a cache dir the postgres user cannot enter', () => {
    const closed = path.join(dir, 'closed');
    mkdirSync(path.join(closed, 'cache'), { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(closed, 0o700);
    expect(firstClosedAncestor(path.join(closed, 'cache', 'campfire', 'demo'))).toBe(closed);
    const asRoot = demoLocation({ XDG_CACHE_HOME: path.join(closed, 'cache') }, 0);
    expect(asRoot.dir).toBe(ROOT_FALLBACK_DIR);
    expect(asRoot.note).toContain(closed);
    // A normal user runs Postgres as itself: its own closed home is no obstacle.
    expect(demoLocation({ XDG_CACHE_HOME: path.join(closed, 'cache') }, 1000).dir).toBe(path.join(closed, 'cache', 'campfire', 'demo'));
    chmodSync(closed, 0o755);
    expect(demoLocation({ XDG_CACHE_HOME: path.join(closed, 'cache') }, 0).dir).toBe(path.join(closed, 'cache', 'campfire', 'demo'));
  });

  it('says in one line when there is no embedded PostgreSQL for the platform', async () => {
    for (const [platform, arch] of [['win32', 'x64'], ['freebsd', 'x64'], ['linux', 's390x']] as const) {
      const err = await findBinaries(platform, arch).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain(`cannot run an embedded PostgreSQL on ${platform}-${arch}`);
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
