/**
 * The behavioural probe: what anon, authenticated and every other role holding privileges on the guide's
 * tables can actually do, asked of Postgres in SAVEPOINTs that are always rolled back. One probe, three
 * users: fix apply (probeInTransaction before and after the steps, compareProbes), doctor --rehearse
 * (rehearse), and the tests' oracle (probeDatabase).
 */
import type { CampfireConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { parseDatabaseUrl } from '../db/url.js';
import { rehearse } from './run.js';
import type { ProbeOptions, ProbeResult } from './types.js';

export { probeInTransaction, rehearse, MARKED_ORGANIZATION_ID, MARKED_USER_ID } from './run.js';
export { compareProbes, describeStep, intendedChanges, WIDGET_PATH, type CompareInput, type Comparison } from './compare.js';
export type * from './types.js';

/** Connects to a database URL, rehearses in a transaction that is always rolled back, disconnects. */
export async function probeDatabase(url: string, config: CampfireConfig, opts: ProbeOptions & { connectTimeoutMs?: number } = {}): Promise<ProbeResult> {
  const client = await connect(parseDatabaseUrl(url), { connectTimeoutMs: opts.connectTimeoutMs ?? 10_000, statementTimeoutMs: opts.statementTimeoutMs ?? 15_000 });
  try {
    return await rehearse(client, config, opts);
  } finally {
    await client.end().catch(() => {});
  }
}
