import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { isAlive } from './pidfile.js';

/**
 * One campfire demo at a time per data directory: the lock file holds the running campfire's pid. A lock
 * whose pid is gone (a killed run) is taken over; a live one is a usage error, never a fight.
 */
export function acquireLock(file: string, what: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new UsageError(`Another campfire demo is running (pid ${holder}): wait for it to finish before ${what}.`);
    }
    rmSync(file, { force: true }); // left by a run that was killed
  }
  throw new UsageError(`Could not take the demo lock ${file}: remove it if no campfire demo is running.`);
}
