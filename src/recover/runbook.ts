/**
 * The guide's "Emergency Recovery — If Real-time System Completely Fails" as data: five steps in the guide's
 * order, and the record a run leaves behind (printed at the end, written as the incident report).
 */
import type { Decision } from '../fixes/plan.js';
import type { Report } from '../report/model.js';

export type StepKey = 'publication' | 'restart' | 'database' | 'client' | 'verify';

/**
 * done: ran (or a person confirmed a manual step); nothing-to-do: already in place; manual: printed for
 * people to do, not confirmed (--yes); skipped: by the person, or a manual step under --yes; failed: stopped
 * the runbook; not-run: never reached (an earlier step failed, abort, Ctrl-C).
 */
/** `still-failing`: the verify step ran to the end and the checklist fails (the step itself did not break). */
export type StepStatus = 'done' | 'nothing-to-do' | 'manual' | 'skipped' | 'failed' | 'still-failing' | 'not-run';

export interface StepDefinition {
  key: StepKey;
  /** The guide's words for the step. */
  guide: string;
  title: string;
}

export const RUNBOOK: readonly StepDefinition[] = [
  { key: 'publication', guide: 'Reset Publication: drop and recreate with scalar-only types', title: 'Reset publication (the fix-publication plan)' },
  { key: 'restart', guide: 'Reset Channels: restart server to clear channel state', title: 'Restart the server' },
  { key: 'database', guide: 'Reset Database: run permission and policy scripts', title: 'Reset database permissions (the fix-permissions plan)' },
  { key: 'client', guide: 'Reset Client: clear browser cache and reconnect', title: 'Reset clients' },
  { key: 'verify', guide: 'Verify Step-by-Step: use diagnostic checklist above', title: 'Verify with the full checklist (doctor)' },
];

export const CLIENT_INSTRUCTIONS = [
  'Tell agents and anyone testing the widget to hard-reload the app (clear the browser cache for it: Ctrl+Shift+R / Cmd+Shift+R)',
  'so every client drops its old realtime channels and subscribes again; widgets open in customer pages reconnect when reloaded.',
];

export interface StepRecord {
  n: number;
  key: StepKey;
  title: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  /** One line on the outcome, or why it did not run. */
  message: string;
  /** Statements that were committed by this step. */
  sql: string[];
  /** The restart command (redacted) and what it printed. */
  command?: string;
  output?: string;
}

export interface Recovery {
  startedAt: string;
  endedAt?: string;
  user: string;
  host: string;
  database: string;
  /** The command line as typed, passwords masked. */
  commandLine: string;
  mode: 'interactive' | 'yes';
  undoFile: string | null;
  reportFile: string;
  steps: StepRecord[];
  /** What the plans deliberately left for a person: the recovery cannot fix them. */
  decisions: Decision[];
  notes: string[];
  checklist?: Report;
  /** Why the runbook stopped early, if it did. */
  stopped?: string;
  exitCode: number;
}

export function newSteps(): StepRecord[] {
  return RUNBOOK.map((d, i) => ({ n: i + 1, key: d.key, title: d.title, status: 'not-run', message: 'not reached', sql: [] }));
}
