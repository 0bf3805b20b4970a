import type { ProbeResult } from '../../probe/types.js';

/** doctor --rehearse: the probe's result for anon and authenticated (src/probe), gathered once. */
export interface RehearsalInput {
  probe: ProbeResult;
}

/** Why rehearsal.widget-path is skipped on a default doctor run: it writes (then rolls back), so it is opt-in. */
export const REHEARSE_OPT_IN = 'opt-in: doctor --rehearse acts as anon and authenticated in a transaction that is always rolled back (doctor stays read-only without it)';
