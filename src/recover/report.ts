import { stepSummary } from '../report/github.js';
import { redact } from '../secrets.js';
import type { Recovery, StepRecord } from './runbook.js';
import { UNDO_PASSWORD_NOTE, undoCommand } from '../fixes/undo-command.js';

const STATUS: Record<StepRecord['status'], string> = {
  done: '✅ done',
  'nothing-to-do': '✅ nothing to do (already in place)',
  manual: '📋 manual (instructions printed, not confirmed)',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
  'still-failing': '❌ ran; the checklist still fails',
  'not-run': '⏹️ not run',
};

/** A fenced block that no backtick run inside the text can close early. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

/** The incident record as Markdown; every byte passes through redact() before it is written. */
export function renderRecoveryReport(r: Recovery): string {
  const verdict = !r.endedAt ? '⏳ in progress (this record is updated after every step)' : r.exitCode === 0 ? '✅ recovered: the final checklist passes' : r.checklist ? '❌ the final checklist still fails' : '❌ recovery did not finish';
  const lines: string[] = [
    `# Realtime emergency recovery — ${r.startedAt}`,
    '',
    `**Outcome:** ${verdict} (exit code ${r.exitCode})`,
    '',
    `- Run by: ${r.user} on ${r.host}`,
    `- Database: \`${r.database}\``,
    `- Started: ${r.startedAt}`,
    `- Ended: ${r.endedAt ?? '(still running)'}`,
    `- Mode: ${r.mode === 'yes' ? 'non-interactive (--yes)' : 'interactive (asked before each step)'}`,
    `- Command: \`${r.commandLine.replace(/`/g, "'")}\``,
    `- Undo script: ${r.undoFile ? `\`${r.undoFile}\` (restores the database as it was before this recovery: \`${undoCommand(r.undoFile, r.database)}\`; ${UNDO_PASSWORD_NOTE})` : 'none (no database change was planned)'}`,
  ];
  if (r.stopped) lines.push('', `**Stopped early:** ${r.stopped}`);
  const failing = r.checklist?.checks.filter((c) => c.status === 'fail' || c.status === 'error') ?? [];
  if (failing.length) lines.push('', '**Still failing:** ' + failing.map((c) => `\`${c.id}\``).join(', '));
  if (r.decisions.length) {
    lines.push('', '## Needs a decision (recovery cannot fix these)', '');
    for (const d of r.decisions) lines.push(`- **${d.object}**: ${d.detail}${d.leaves.length ? ` (leaves ${d.leaves.map((l) => `\`${l}\``).join(', ')} failing)` : ''}`);
  }
  lines.push('', '## Steps', '', '| # | Step | Status | Started | Ended |', '|---|------|--------|---------|-------|');
  for (const s of r.steps) lines.push(`| ${s.n} | ${s.title} | ${STATUS[s.status]} | ${s.startedAt ?? ''} | ${s.endedAt ?? ''} |`);
  for (const s of r.steps) {
    lines.push('', `### ${s.n}. ${s.title}: ${STATUS[s.status]}`, '', s.message);
    if (s.startedAt) lines.push('', `Started ${s.startedAt}, ended ${s.endedAt ?? '(interrupted)'}.`);
    if (s.sql.length) lines.push('', 'SQL applied (one transaction, committed):', '', fence(s.sql.map((q) => `${q};`).join('\n'), 'sql'));
    if (s.command) lines.push('', `Command: \`${s.command.replace(/`/g, "'")}\``);
    if (s.output !== undefined) lines.push('', 'Output:', '', fence(s.output || '(no output)'));
  }
  if (r.notes.length) {
    lines.push('', '## Please read', '');
    for (const n of r.notes) lines.push(`- ${n}`);
  }
  lines.push('', '## Final checklist', '');
  if (r.checklist) lines.push(stepSummary(r.checklist, 'campfire doctor after recovery').replace(/^## /, '### ').replace(/\n### /g, '\n#### '));
  else lines.push('Not run: the verification step did not run (see the steps above).');
  return redact(`${lines.join('\n')}\n`);
}
