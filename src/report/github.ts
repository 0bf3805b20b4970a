import type { CheckResult, Status } from '../checks/types.js';
import { SECTIONS, type SectionId } from '../checks/types.js';
import { failsGate, type Report } from './model.js';

/**
 * GitHub Actions workflow commands and the job summary, as pure text. The runner un-escapes command data
 * (%25 %0D %0A) and, inside properties, also %3A and %2C; anything else in a finding is passed as is.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function maskCommand(secret: string): string {
  return `::add-mask::${escapeData(secret)}\n`;
}

export function groupStart(title: string): string {
  return `::group::${escapeData(title)}`;
}

export const GROUP_END = '::endgroup::';

/**
 * One annotation per check that failed, errored or warned. A warning stays a ::warning even under
 * --fail-on warn: the level says what campfire found, the exit code says what the gate decided.
 */
export function annotations(report: Report): string[] {
  const lines: string[] = [];
  for (const r of report.checks) {
    const level = r.status === 'fail' || r.status === 'error' ? 'error' : r.status === 'warn' ? 'warning' : null;
    if (!level) continue;
    const title = `campfire ${r.id}${r.status === 'error' ? (r.summary.startsWith('check crashed') ? ' (check crashed)' : ' (could not judge)') : ''}: ${r.title}`;
    lines.push(`::${level} title=${escapeProperty(title)}::${escapeData(annotationBody(r))}`);
  }
  return lines;
}

function annotationBody(r: CheckResult, maxFindings = 20): string {
  const lines = [r.summary];
  for (const f of r.findings.slice(0, maxFindings)) lines.push(`- ${f.object}: ${f.detail}`);
  if (r.findings.length > maxFindings) lines.push(`… and ${r.findings.length - maxFindings} more (see the JUnit or --json report)`);
  if (r.fix) lines.push(`Fix: ${r.fix}`);
  return lines.join('\n');
}

const ICON: Record<Status, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', error: '💥' };

/** The Markdown checklist appended to $GITHUB_STEP_SUMMARY: one task-list item per check, by section. */
export function stepSummary(report: Report, heading = 'campfire doctor'): string {
  const s = report.summary;
  const verdict = report.exitCode === 0 ? '✅ passed' : '❌ failed';
  const lines = [`## ${md(heading)}: ${verdict}`, ''];
  if (report.target.database) lines.push(`Database: \`${code(report.target.database)}\``, '');
  lines.push(
    `${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.skip} skipped, ${s.error} errors` +
      (report.failOn === 'warn' ? ' (warnings fail this gate: --fail-on warn)' : ''),
  );
  if (report.notSelected.length) lines.push('', `Not selected: ${report.notSelected.map((id) => `\`${code(id)}\``).join(', ')}`);
  for (const section of Object.keys(SECTIONS) as SectionId[]) {
    const checks = report.checks.filter((r) => r.section === section);
    if (!checks.length) continue;
    lines.push('', `### ${md(SECTIONS[section])}`, '');
    for (const r of checks) {
      const done = !failsGate(r.status, report.failOn) && r.status !== 'skip';
      lines.push(`- [${done ? 'x' : ' '}] ${ICON[r.status]} \`${code(r.id)}\` ${r.status}: ${md(r.summary)}`);
      if (r.status === 'pass' || r.status === 'skip') continue;
      for (const f of r.findings.slice(0, 10)) lines.push(`  - ${md(f.object)}: ${md(f.detail)}`);
      if (r.findings.length > 10) lines.push(`  - … and ${r.findings.length - 10} more`);
      if (r.fix) lines.push(`  - Fix: \`${code(r.fix)}\``);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** Markdown inline text: every ASCII punctuation that could start markup or HTML is backslash-escaped. */
function md(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>&|#~!]/g, '\\$&');
}

/** Inside a code span nothing is markup; a backtick would end it, so it is replaced. */
function code(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/`/g, "'");
}
