import type { Io } from '../io.js';
import { planPermissions, type PolicyMode } from '../fixes/permissions.js';
import { runFix, type FixOptions } from './fix.js';

export interface FixPermissionsOptions extends FixOptions {
  policyMode: PolicyMode;
}

export async function fixPermissions(opts: FixPermissionsOptions, io: Io): Promise<number> {
  return runFix('fix-permissions', opts, io, (snap, config) => planPermissions(snap, config, { policyMode: opts.policyMode }));
}
