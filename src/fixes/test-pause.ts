import type { Io } from '../io.js';

/**
 * Test hook for the failure drills: CAMPFIRE_TEST_PAUSE_AT="step:2" (a comma list of points: lock, plan,
 * step:N, sql:N, verify) makes apply stop at that point inside its open transaction, print a marker on stderr,
 * and wait until SIGUSR2 (or two minutes). The drills kill -9 the process there and check that the
 * catalog is exactly as it was. Unset (always, outside tests), it costs nothing.
 */
export function testPauses(io: Io): ((point: string) => Promise<void>) | undefined {
  const spec = io.env.CAMPFIRE_TEST_PAUSE_AT;
  if (!spec) return undefined;
  const points = new Set(spec.split(',').map((p) => p.trim()).filter(Boolean));
  return (point) => {
    if (!points.has(point)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        process.off('SIGUSR2', done);
        resolve();
      };
      const timer = setTimeout(done, 120_000);
      process.on('SIGUSR2', done);
      io.err(`campfire: test pause at ${point} (pid ${process.pid})\n`);
    });
  };
}
