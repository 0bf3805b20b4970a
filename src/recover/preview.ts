import type { ChalkInstance } from 'chalk';
import type { Plan } from '../fixes/plan.js';
import { renderPlan } from '../fixes/render.js';
import { scrub } from '../scrub.js';
import { CLIENT_INSTRUCTIONS, RUNBOOK, type StepKey } from './runbook.js';
import { formatDuration } from '../duration.js';

export interface PreviewInput {
  plans: { publication: Plan; database: Plan };
  restartCmd?: string;
  appUrl?: string;
  restartTimeoutMs: number;
  /** What the verify step gives doctor, e.g. ["database postgres://…/db", "app source ./src"]. */
  verifyInputs: string[];
  undoFile?: string | null;
}

/** What a step will do, shown before it runs (and, for every step, by --dry-run). */
export function renderStepPreview(key: StepKey, p: PreviewInput, c: ChalkInstance): string {
  const n = RUNBOOK.findIndex((s) => s.key === key) + 1;
  const def = RUNBOOK[n - 1]!;
  const head = `${c.bold(`Step ${n}/${RUNBOOK.length}: ${def.title}`)}\n${c.dim(`Guide: ${def.guide}`)}\n`;
  switch (key) {
    case 'publication':
    case 'database':
      return head + renderPlan(p.plans[key], c);
    case 'restart':
      if (p.restartCmd) {
        return `${head}Runs ${c.cyan(`$ ${scrub(p.restartCmd)}`)} (stopped after ${formatDuration(p.restartTimeoutMs)}; a non-zero exit stops the runbook)\n` +
          (p.appUrl ? `then waits for ${p.appUrl} to answer again.\n` : 'No --app-url: campfire cannot tell when the app is back; give --app-url to wait for it.\n');
      }
      return `${head}Manual: restart your Campfire server now, so it drops every realtime channel it holds and clients subscribe afresh.\n` +
        'No --restart-cmd: on a terminal campfire waits for you to confirm; under --yes this step is recorded as skipped.\n';
    case 'client':
      return `${head}Manual: ${CLIENT_INSTRUCTIONS.join('\n')}\n`;
    case 'verify':
      return `${head}Runs the full doctor checklist with: ${p.verifyInputs.join('; ')}.\n`;
  }
}

/** --dry-run: the whole runbook, every SQL statement, and where the undo script and report would go. */
export function renderDryRun(p: PreviewInput, database: string, c: ChalkInstance): string {
  const parts = [c.bold(`campfire recover — ${database} (dry run: nothing is changed, no lock is taken, no file is written)`), ''];
  for (const s of RUNBOOK) parts.push(renderStepPreview(s.key, p, c));
  const steps = p.plans.publication.steps.length + p.plans.database.steps.length;
  parts.push(steps
    ? `Before the first change, recover would save one undo script with the undo of all ${steps} database changes.`
    : 'No database change is planned: recover would write no undo script.');
  return `${parts.join('\n')}\n`;
}
