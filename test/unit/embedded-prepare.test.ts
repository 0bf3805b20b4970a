import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDir } from '../../src/embedded/cluster.js';
import { clusterAt } from '../../src/embedded/location.js';

describe('prepareDir', () => {
  it("never changes the mode of a folder that is not campfire's (a cluster in a temp folder left /tmp 0755)", () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'campfire-shared-'));
    try {
      chmodSync(shared, 0o1777); // like /tmp: world-writable with the sticky bit
      prepareDir(clusterAt(path.join(shared, 'cluster'), 'test'));
      expect(statSync(shared).mode & 0o7777).toBe(0o1777);
      // campfire's own cache layout: …/campfire/<name> is opened for the postgres user when running as root.
      const cache = path.join(shared, 'campfire', 'demo');
      prepareDir(clusterAt(cache, 'demo'));
      if (process.getuid?.() === 0) expect(statSync(path.dirname(cache)).mode & 0o777).toBe(0o755);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
