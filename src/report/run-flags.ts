/**
 * The flags a doctor (or recover) run was given, turned into ones that can be printed in "What to do next":
 * the database URL without its password, the anon key as "$SUPABASE_ANON_KEY", everything else as given.
 * Inputs that came from the environment are left out: they are still set in the same shell.
 */
import { parseDatabaseUrl } from '../db/url.js';
import type { RunFlags } from './next-steps.js';

export interface GivenFlags {
  dbUrl?: string;
  config?: string;
  src?: string;
  log?: string[];
  since?: string;
  appUrl?: string;
  orgId?: string;
  supabaseUrl?: string;
  anonKey?: string;
  org?: string;
  conv?: string;
  bindings?: string;
}

export function runFlags(given: GivenFlags): RunFlags {
  const database: string[] = [];
  let passwordLeftOut = false;
  if (given.dbUrl) {
    const target = parseDatabaseUrl(given.dbUrl);
    database.push('--db-url', target.display);
    passwordLeftOut = target.display !== given.dbUrl.trim() && /:[^@/]*@|[?&]password=/.test(given.dbUrl);
  }
  if (given.config) database.push('--config', given.config);
  const inputs: string[] = [];
  for (const file of given.log ?? []) if (file !== '-') inputs.push('--log', file);
  if (given.since && given.log?.some((f) => f !== '-')) inputs.push('--since', given.since);
  if (given.src) inputs.push('--src', given.src);
  if (given.appUrl) inputs.push('--app-url', given.appUrl);
  const org = given.orgId ?? given.org;
  if (given.supabaseUrl) inputs.push('--supabase-url', given.supabaseUrl);
  if (given.anonKey) inputs.push('--anon-key', '"$SUPABASE_ANON_KEY"');
  if (org && (given.appUrl || given.supabaseUrl || given.anonKey)) inputs.push('--org-id', org);
  if (given.conv) inputs.push('--conv', given.conv);
  if (given.bindings) inputs.push('--bindings', given.bindings);
  return { database, inputs, passwordLeftOut, keyFromEnv: Boolean(given.anonKey) };
}
