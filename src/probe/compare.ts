/**
 * Pure comparison of two probe results (before a fix's steps and after them, in the same transaction).
 * No database here: the rules are plain data in, violations out, so they are unit-testable and the same
 * for apply, recover and the tests.
 */
import type { IntendedChange, ProbeResult, ProbeStep, ProbeStepId, RoleProbe, Violation } from './types.js';

/** The guide's widget path: what /api/widget/auth and /api/widget/messages do as anon. */
export const WIDGET_PATH: ProbeStepId[] = ['insert-conversation', 'insert-message'];

export interface CompareInput {
  before: ProbeResult;
  after: ProbeResult;
  /** The guide's anonymous role (config.roles.anon) and authenticated role. */
  anon: string;
  authenticated: string;
  /** What the plan's steps declare they mean to change (exempt from "nothing that worked may fail"). */
  intended?: IntendedChange[];
  /**
   * Rule (a) applies (default true). apply sets it only for fix-permissions, the fix that repairs the widget
   * path: fix-publication on a database whose permissions are still broken cannot make the path work, and
   * rule (b) still keeps it from breaking a path that worked.
   */
  requireWidgetPath?: boolean;
  /**
   * With rule (a): a widget step that fails after exactly as it failed before (same SQLSTATE and message)
   * is reported as unjudged rather than a violation. apply sets it when the plan leaves a decision to a
   * person, which may rightly leave the path broken; a path that fails in a new way is still a violation.
   */
  allowUnchangedWidgetFailure?: boolean;
}

export interface Comparison {
  violations: Violation[];
  /** Steps the rules could not judge (not rehearsed, skipped roles): reported, never counted as passing silently. */
  unjudged: string[];
}

const works = (s: ProbeStep | undefined) => s?.outcome === 'ok';
const fails = (s: ProbeStep | undefined) => s?.outcome === 'error' || s?.outcome === 'no-rows';

/** "anon: insert into … → 42501 permission denied for table realtime_conversations". */
export function describeStep(role: string, s: ProbeStep): string {
  const said = s.outcome === 'error' ? `${s.code} ${s.message}` : s.outcome === 'no-rows' ? `no error, but row level security hid the probe row (0 rows)` : s.outcome === 'ok' ? 'allowed' : s.message ?? s.outcome;
  return `${role}: ${s.statement} → ${said}`;
}

function key(s: ProbeStep): string {
  return `${s.step} ${s.table}`;
}

function index(r: RoleProbe | undefined): Map<string, ProbeStep> {
  return new Map((r?.steps ?? []).map((s) => [key(s), s]));
}

function isIntended(intended: IntendedChange[], role: string, s: ProbeStep): boolean {
  return intended.some((i) => (i.role === '*' || i.role === role) && i.table === s.table && i.command === s.command);
}

export function compareProbes(input: CompareInput): Comparison {
  const { before, after, anon, authenticated, intended = [] } = input;
  const violations: Violation[] = [];
  const unjudged: string[] = [];
  const push = (rule: Violation['rule'], role: string, s: ProbeStep, what: string) =>
    violations.push({ rule, role, step: s.step, table: s.table, statement: s.statement, code: s.code, error: s.message, message: `${what}: ${describeStep(role, s)}` });

  if (after.status === 'skipped') return { violations, unjudged: [`the probe could not run: ${after.reason}`] };

  // (a) What the guide needs must work after the steps: the widget path as anon.
  const anonAfter = after.roles.find((r) => r.role === anon);
  if (input.requireWidgetPath === false) { /* rule (a) not asked for */ }
  else if (!anonAfter || anonAfter.status === 'skipped') unjudged.push(`the widget path as ${anon}: ${anonAfter?.reason ?? 'the role was not probed'}`);
  else {
    for (const id of WIDGET_PATH) {
      const s = anonAfter.steps.find((x) => x.step === id);
      if (!s || s.outcome === 'not-rehearsed' || s.outcome === 'skipped') unjudged.push(`${anon} ${id}: ${s?.message ?? 'not run'}`);
      else if (!works(s)) {
        const prior = before.roles.find((r) => r.role === anon)?.steps.find((x) => x.step === id);
        if (input.allowUnchangedWidgetFailure && prior && prior.outcome === s.outcome && prior.code === s.code && prior.message === s.message) {
          unjudged.push(`the widget path still fails as ${anon}, as before the steps, with decisions left to you: ${describeStep(anon, s)}`);
        } else push('widget-path', anon, s, `the guide's widget path fails as ${anon}`);
      }
    }
  }

  const rlsAfter = new Map(after.tables.map((t) => [t.table, t.rlsEnabled]));
  for (const ra of after.roles) {
    if (ra.status === 'skipped') continue;
    const rb = before.roles.find((r) => r.role === ra.role);
    const was = index(rb?.status === 'probed' ? rb : undefined);
    for (const s of ra.steps) {
      const prior = was.get(key(s));
      // (b) Nothing that worked before may fail after, unless the plan names it as intended.
      if (works(prior) && fails(s) && !isIntended(intended, ra.role, s)) {
        // The widget path as anon is reported once, by rule (a).
        if (!(ra.role === anon && WIDGET_PATH.includes(s.step) && violations.some((v) => v.rule === 'widget-path' && v.step === s.step))) {
          push('no-regression', ra.role, s, 'worked before the steps and fails after them');
        }
      }
      // (c) Nothing may become newly possible for anon/authenticated on a table without RLS.
      if ((ra.role === anon || ra.role === authenticated) && rlsAfter.get(s.table) === false && works(s) && prior && fails(prior)) {
        push('newly-possible-without-rls', ra.role, s, `newly possible on ${s.table}, which has row level security off (every visitor could do it to every organization's rows)`);
      }
    }
  }
  return { violations, unjudged };
}

/** The intended changes a plan's steps declare (Step.intends), flattened. */
export function intendedChanges(steps: { intends?: IntendedChange[] }[]): IntendedChange[] {
  return steps.flatMap((s) => s.intends ?? []);
}
