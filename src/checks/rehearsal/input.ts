import type { ProbeResult } from '../../probe/types.js';

/** doctor --rehearse: the probe's result for anon and authenticated (src/probe), gathered once. */
export interface RehearsalInput {
  probe: ProbeResult;
}
