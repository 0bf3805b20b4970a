/**
 * Ctrl-C during a probe: the first SIGINT aborts the probe, which removes its channels and disconnects
 * before returning; a second SIGINT finds no listener and ends the process the default way.
 */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<{ result: T; interrupted: boolean }> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await run(controller.signal);
    return { result, interrupted: controller.signal.aborted };
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The shell convention for a run ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;
