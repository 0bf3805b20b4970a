/** Small time helpers that never outlive the probe: every wait is bounded and stops on abort. */

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves with the promise's value, or `fallback` after `ms` or on abort — whichever comes first. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F, signal?: AbortSignal): Promise<T | F> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: T | F) => {
      if (settled) return;
      settled = true;
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = () => finish(fallback);
    const t = setTimeout(() => finish(fallback), ms);
    if (signal?.aborted) return finish(fallback);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(finish, () => finish(fallback));
  });
}

/** Polls `done` until it is true, `ms` has passed or the signal aborts. */
export async function until(done: () => boolean, ms: number, signal?: AbortSignal, stepMs = 5): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (signal?.aborted || performance.now() >= end) return done();
    await sleep(stepMs, signal);
  }
  return true;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across clients in this process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
