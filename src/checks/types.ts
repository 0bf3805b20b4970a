import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import type { ClientStats, SourceLocation } from '../client/stats.js';
import type { ProbeStats } from '../realtime/stats.js';
import type { LogsInput } from './logs/input.js';
import type { AppInput } from './http/input.js';
import type { RehearsalInput } from './rehearsal/input.js';

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** One thing a check found: the object it is about and what is wrong with it. */
export interface Finding {
  object: string;
  detail: string;
  /** Where in the app's source, for findings about code (client checks); SARIF is written from these. */
  location?: SourceLocation;
  /** A finding's own weight when it differs from its check's status (a 'warn' finding inside a failed check). */
  severity?: 'fail' | 'warn';
}

/**
 * What a judge returns. 'error' is for a judge whose input is known to be incomplete (a log that broke off
 * midway): it cannot say pass, and saying fail would claim something it did not see. A judge that throws
 * becomes 'error' too (runChecks).
 */
export interface Verdict {
  status: Status;
  summary: string;
  findings?: Finding[];
  /** The truth a person needs beside the findings (e.g. where the guide's explanation is wrong). */
  advice?: string;
}

/** The guide's sections, in the guide's order, plus what campfire checks beyond it. */
export const SECTIONS = {
  'binding-mismatch': 'Binding Mismatch Errors',
  'widget-auth': 'Widget Authentication Failures',
  broadcast: 'Broadcast Event Issues',
  connection: 'Channel Connection Problems',
  performance: 'Performance Issues',
  permissions: 'Database Permission Errors',
  beyond: 'Beyond the guide',
} as const;
export type SectionId = keyof typeof SECTIONS;

/**
 * Each input is gathered once into a plain value; every check judges exactly one of them. Inputs that
 * were not given are absent, and their checks are skipped with the reason.
 */
export interface GatheredInputs {
  database: CatalogSnapshot;
  /** Facts from the app's source (`doctor --src DIR`). */
  client: ClientStats;
  /** The broadcast probe against Supabase Realtime (probe-broadcast, doctor --supabase-url). */
  realtime: ProbeStats;
  /** --log: one streaming pass over the server logs. */
  logs: LogsInput;
  /** --app-url: the widget auth and message probes. */
  app: AppInput;
  /** doctor --rehearse: the widget path acted out as anon and authenticated, always rolled back (src/probe). */
  rehearsal: RehearsalInput;
}
export type InputKind = keyof GatheredInputs;
export type Inputs = Partial<GatheredInputs>;

/** Metadata beside the judge, as ESLint keeps a rule's meta beside its logic. */
export interface CheckMeta {
  id: string;
  section: SectionId;
  title: string;
  /** What passing means, in one sentence: the check reference and `campfire checks` print it. */
  verifies: string;
  /** Where in the guide this comes from, or why campfire checks it beyond the guide. */
  guideRef: string;
  /** The campfire command that repairs a failure, or null when it needs a person's decision. */
  fix: string | null;
  input: InputKind;
}

export interface Check<K extends InputKind = InputKind> extends CheckMeta {
  input: K;
  judge(input: GatheredInputs[K], config: CampfireConfig): Verdict;
}

export interface CheckResult {
  id: string;
  section: SectionId;
  title: string;
  status: Status;
  summary: string;
  findings: Finding[];
  advice?: string;
  fix: string | null;
  durationMs: number;
}
