import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { isAlive } from './pidfile.js';

/**
 * One campfire run at a time per data directory (demo, shadow): the lock file holds the running campfire's pid. A lock
 * whose pid is gone (a killed run) is taken over; a live one is a usage error, never a fight.
 */
export function acquireLock(file: string, what: string, label = 'demo'): () => void {
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
      throw new UsageError(`Another campfire ${label} is running (pid ${holder}): wait for it to finish before ${what}.`);
    }
    rmSync(file, { force: true }); // left by a run that was killed
  }
  throw new UsageError(`Could not take the ${label} lock ${file}: remove it if no campfire ${label} is running.`);
}

/** acquireLock, but waits (polling) while another live run holds it, up to timeoutMs. */
export async function waitForLock(file: string, label: string, timeoutMs: number): Promise<() => void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return acquireLock(file, 'starting', label);
    } catch (err) {
      if (!(err instanceof UsageError) || !/is running/.test(err.message) || Date.now() > until) throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
