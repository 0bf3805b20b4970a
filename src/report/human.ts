import type { ChalkInstance } from 'chalk';
import type { CheckResult, Status } from '../checks/types.js';
import { SECTIONS } from '../checks/types.js';
import type { Report } from './model.js';

export interface HumanOptions {
  chalk: ChalkInstance;
  verbose?: boolean;
  /** The heading's command name, e.g. "campfire probe-broadcast"; "campfire doctor" when absent. */
  title?: string;
  /** Only failures, errors and warnings, then the summary (CI logs). */
  quiet?: boolean;
  /** Lines wrapped around each section, e.g. GitHub's ::group:: / ::endgroup:: (collapsible in the log). */
  group?: { start(title: string): string; end: string };
  /** Findings shown per check before "… and N more". */
  maxFindings?: number;
}

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–', error: '✗' };

export function renderHuman(report: Report, opts: HumanOptions): string {
  const c = opts.chalk;
  const paint: Record<Status, (s: string) => string> = {
    pass: c.green, fail: c.red, warn: c.yellow, skip: c.dim, error: c.magenta,
  };
  const lines: string[] = [];
  const t = report.target;
  if (t.database && !opts.quiet) lines.push(c.bold(`${opts.title ?? 'campfire doctor'} — ${t.database}${t.serverVersion ? ` (PostgreSQL ${t.serverVersion})` : ''}`));
  if (t.source && !opts.quiet) lines.push(c.bold(`${opts.title ?? 'campfire doctor'} — source ${t.source}`));
  if (t.realtime && !opts.quiet) lines.push(c.bold(`${opts.title ?? 'campfire doctor'} — realtime ${t.realtime}`));
  if (t.logs?.length && !opts.quiet) lines.push(c.bold(`${opts.title ?? 'campfire doctor'} — logs ${t.logs.join(', ')}`));
  if (t.app && !opts.quiet) lines.push(c.bold(`${opts.title ?? 'campfire doctor'} — app ${t.app}`));

  for (const [section, title] of Object.entries(SECTIONS)) {
    const checks = report.checks.filter((r) => r.section === section && (!opts.quiet || shownWhenQuiet(r.status)));
    if (!checks.length) continue;
    if (opts.group) lines.push(opts.group.start(title));
    lines.push(...(opts.group ? [] : ['']), c.bold(title));
    for (const r of checks) lines.push(...renderCheck(r, paint[r.status], c, opts));
    if (opts.group) lines.push(opts.group.end);
  }
  const s = report.summary;
  const parts = [
    c.green(`${s.pass} passed`),
    (s.fail ? c.red : c.dim)(`${s.fail} failed`),
    (s.warn ? c.yellow : c.dim)(`${s.warn} warning${s.warn === 1 ? '' : 's'}`),
    c.dim(`${s.skip} skipped`),
    (s.error ? c.magenta : c.dim)(`${s.error} error${s.error === 1 ? '' : 's'}`),
  ];
  if (report.notSelected.length) parts.push(c.dim(`${report.notSelected.length} not selected`));
  const gate = report.failOn === 'warn' && s.warn ? c.yellow(' (warnings fail this run: --fail-on warn)') : '';
  lines.push('', `${c.bold('Summary:')} ${parts.join(', ')}${gate}`);
  return `${lines.join('\n')}\n`;
}

function shownWhenQuiet(status: Status): boolean {
  return status === 'fail' || status === 'error' || status === 'warn';
}

function renderCheck(r: CheckResult, paint: (s: string) => string, c: ReportChalk, opts: HumanOptions): string[] {
  const out = [`  ${paint(MARK[r.status])} ${c.bold(r.id)}  ${r.summary}${opts.verbose ? c.dim(` (${r.durationMs} ms)`) : ''}`];
  const detailed = r.status !== 'pass' && r.status !== 'skip' || opts.verbose;
  if (!detailed) return out;
  const max = opts.verbose ? Infinity : (opts.maxFindings ?? 12);
  for (const f of r.findings.slice(0, max)) out.push(`      ${f.object}: ${f.detail}`);
  if (r.findings.length > max) out.push(c.dim(`      … and ${r.findings.length - max} more (--verbose or --json shows all)`));
  if (r.advice) out.push(...wrap(`Why: ${r.advice}`, 96).map((l) => `      ${c.dim(l)}`));
  if (r.fix) out.push(`      ${c.cyan(`Fix: ${r.fix}`)}`);
  return out;
}

type ReportChalk = HumanOptions['chalk'];

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
