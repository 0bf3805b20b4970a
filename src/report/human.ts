import type { ChalkInstance } from 'chalk';
import type { CheckResult, Status } from '../checks/types.js';
import { SECTIONS } from '../checks/types.js';
import type { Report } from './model.js';
import { fixCommand, nextNotes, nextSteps, type RunFlags } from './next-steps.js';

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
  /** Columns to wrap explanations at: the terminal's width, 80 when not a terminal. */
  width?: number;
  /** The flags this run was given, for "What to do next"; without them that part is left out. */
  next?: RunFlags;
}

/** The terminal's width for the report: 80 when stdout is not a terminal (CI logs, pipes, files). */
export function reportWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns && stream.columns >= 40 ? stream.columns : 80;
}

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–', error: '✗' };

export function renderHuman(report: Report, opts: HumanOptions): string {
  const c = opts.chalk;
  const paint: Record<Status, (s: string) => string> = {
    pass: c.green, fail: c.red, warn: c.yellow, skip: c.dim, error: c.magenta,
  };
  const lines: string[] = [];
  const t = report.target;
  const title = opts.title ?? 'campfire doctor';
  const width = opts.width ?? 80;
  // --quiet still names what was checked: a CI log with only failures must say which database they are in.
  if (t.database) lines.push(c.bold(`${title} — ${t.database}${t.serverVersion ? ` (PostgreSQL ${t.serverVersion})` : ''}`));
  if (t.source && !opts.quiet) lines.push(c.bold(`${title} — source ${t.source}`));
  if (t.realtime && !opts.quiet) lines.push(c.bold(`${title} — realtime ${t.realtime}`));
  if (t.logs?.length && !opts.quiet) lines.push(c.bold(`${title} — logs ${t.logs.join(', ')}`));
  if (t.app && !opts.quiet) lines.push(c.bold(`${title} — app ${t.app}`));

  // Skips are grouped by what is missing at the end, so the failures are not interleaved with them.
  // In GitHub's log every section is a collapsed group already, so skips stay in their sections there.
  const groupSkips = !opts.verbose && !opts.group;
  for (const [section, sectionTitle] of Object.entries(SECTIONS)) {
    const checks = report.checks.filter(
      (r) => r.section === section && (!opts.quiet || shownWhenQuiet(r.status)) && !(groupSkips && r.status === 'skip'),
    );
    if (!checks.length) continue;
    if (opts.group) lines.push(opts.group.start(sectionTitle));
    lines.push(...(opts.group ? [] : ['']), c.bold(sectionTitle));
    for (const r of checks) lines.push(...renderCheck(r, paint[r.status], c, opts, width));
    if (opts.group) lines.push(opts.group.end);
  }
  if (groupSkips && !opts.quiet) lines.push(...renderSkips(report.checks, c, width));
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
  if (opts.next && !opts.quiet) lines.push(...renderNext(report.checks, opts.next, c, width));
  return `${lines.join('\n')}\n`;
}

/** One line per missing input: "3 checks need --log FILE (no server log given): logs.a, logs.b, logs.c". */
function renderSkips(checks: readonly CheckResult[], c: ReportChalk, width: number): string[] {
  const byReason = new Map<string, string[]>();
  for (const r of checks) if (r.status === 'skip') byReason.set(r.summary, [...(byReason.get(r.summary) ?? []), r.id]);
  if (!byReason.size) return [];
  const out = ['', c.bold('Skipped (not judged in this run)')];
  for (const [reason, ids] of byReason) {
    const n = `${ids.length} check${ids.length === 1 ? '' : 's'}`;
    // The flag in the reason's parentheses, when there is one, is what to add: "no server log given (--log FILE)".
    const flag = /\((--[^)]*)\)\s*$/.exec(reason)?.[1];
    const head = flag ? `${n} need${ids.length === 1 ? 's' : ''} ${flag} (${reason.replace(/\s*\(--[^)]*\)\s*$/, '')})` : `${n}: ${reason}`;
    out.push(...wrap(`– ${head}: ${ids.join(', ')}`, width - 2).map((l, i) => c.dim(`${i ? '    ' : '  '}${l}`)));
  }
  return out;
}

function renderNext(checks: readonly CheckResult[], flags: RunFlags, c: ReportChalk, width: number): string[] {
  const steps = nextSteps(checks, flags);
  if (!steps.length) return [];
  const out = ['', c.bold('What to do next')];
  // Only "doctor again": nothing failing has a campfire command; the findings above say what to change.
  if (steps.length === 1) out.push(...wrap('No campfire command fixes these: change what the findings above point to, then check again.', width - 2).map((l) => c.dim(`  ${l}`)));
  steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  for (const note of nextNotes(flags, steps.some((s) => s.endsWith(' --apply')))) out.push(...wrap(note, width - 2).map((l) => c.dim(`  ${l}`)));
  return out;
}

function shownWhenQuiet(status: Status): boolean {
  return status === 'fail' || status === 'error' || status === 'warn';
}

function renderCheck(r: CheckResult, paint: (s: string) => string, c: ReportChalk, opts: HumanOptions, width: number): string[] {
  // The id stays on the first line; the summary wraps under it, indented, at the terminal's width.
  // wrap() joins words with one space; the id is followed by two, so the first line leaves room for one more.
  const [first = '', ...more] = wrap(`${r.id} ${r.summary}`, width - 5);
  const out = [
    `  ${paint(MARK[r.status])} ${c.bold(r.id)} ${first.slice(r.id.length)}${!more.length && opts.verbose ? c.dim(` (${r.durationMs} ms)`) : ''}`,
    ...more.map((l, i) => `      ${l}${i === more.length - 1 && opts.verbose ? c.dim(` (${r.durationMs} ms)`) : ''}`),
  ];
  const detailed = r.status !== 'pass' && r.status !== 'skip' || opts.verbose;
  if (!detailed) return out;
  const max = opts.verbose ? Infinity : (opts.maxFindings ?? 12);
  for (const f of r.findings.slice(0, max)) out.push(...wrap(`${f.object}: ${f.detail}`, width - 6).map((l, i) => `${i ? '        ' : '      '}${l}`));
  if (r.findings.length > max) out.push(c.dim(`      … and ${r.findings.length - max} more (--verbose or --json shows all)`));
  if (r.advice) out.push(...wrap(`Why: ${r.advice}`, width - 6).map((l) => `      ${c.dim(l)}`));
  if (r.fix) out.push(`      ${c.cyan(`Fix: ${fixCommand(r.fix, opts.next)}`)}`);
  return out;
}

type ReportChalk = HumanOptions['chalk'];

function wrap(text: string, width: number): string[] {
  if (text.length <= width && !text.includes('\n')) return [text]; // fits: printed exactly as it is
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
