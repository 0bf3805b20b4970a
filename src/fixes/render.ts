import type { ChalkInstance } from 'chalk';
import type { ApplyOutcome } from './apply.js';
import { checksToVerify, type Plan } from './plan.js';
import { UNDO_PASSWORD_NOTE, undoCommand } from './undo-command.js';

/** The plan as a person reads it: each step's SQL, why, and which checks it repairs. */
export function renderPlan(plan: Plan, c: ChalkInstance): string {
  const lines: string[] = [];
  if (!plan.steps.length && !plan.refusals.length) lines.push(c.green('Nothing to do: everything this fix repairs is already in place.'));
  plan.steps.forEach((s, i) => {
    lines.push('', c.bold(`${i + 1}. ${s.title}`));
    for (const r of s.reasons) lines.push(`   why: ${r}`);
    lines.push(`   repairs: ${s.repairs.join(', ')}`);
    for (const sql of s.sql) lines.push(c.cyan(`   ${sql};`));
  });
  if (plan.refusals.length) {
    lines.push('', c.red.bold('Refused (nothing will be changed until you choose):'));
    for (const d of plan.refusals) lines.push(c.red(`  ✗ ${d.object}: ${d.detail}`));
  }
  if (plan.decisions.length) {
    lines.push('', c.yellow.bold('Left for your decision (reported, not changed):'));
    for (const d of plan.decisions) lines.push(c.yellow(`  ! ${d.object}: ${d.detail}`));
  }
  if (plan.notes.length) {
    lines.push('', c.bold('Please read:'));
    for (const n of plan.notes) lines.push(`  • ${n}`);
  }
  const verify = checksToVerify(plan);
  if (plan.steps.length) lines.push('', `After apply, these checks must pass or everything is rolled back: ${verify.join(', ') || '(none)'}`);
  return `${lines.join('\n')}\n`;
}

export function renderOutcome(o: ApplyOutcome, c: ChalkInstance, files: { undoFile?: string; migrationFile?: string; database?: string }): string {
  const lines: string[] = [];
  for (const r of o.verification) {
    const ok = r.status === 'pass' || r.status === 'warn';
    lines.push(`  ${ok ? c.green('✓') : c.red('✗')} ${r.id}: ${r.summary}`);
    if (!ok) for (const f of r.findings) lines.push(`      ${f.object}: ${f.detail}`);
  }
  const good = o.status === 'applied' || o.status === 'nothing-to-do';
  lines.push((good ? c.green : c.red)(o.message));
  if (files.undoFile && files.database) lines.push(`Undo script: ${files.undoFile}`, `  To undo: ${undoCommand(files.undoFile, files.database)}`, `  (${UNDO_PASSWORD_NOTE})`);
  else if (files.undoFile) lines.push(`Undo script: ${files.undoFile}`);
  if (files.migrationFile) lines.push(`Migration: ${files.migrationFile}`);
  return `${lines.join('\n')}\n`;
}
