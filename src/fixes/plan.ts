/**
 * Plans are data: a planner turns the catalog snapshot into ordered steps, each with its SQL, the SQL
 * that undoes it, why it is needed and which doctor checks it repairs. The same plan is printed (dry
 * run), executed (apply), reversed (undo script) and exported (Supabase migration).
 */
import type { IntendedChange } from '../probe/types.js';

export type FixCommand = 'fix-publication' | 'fix-permissions' | 'drift';

export interface Step {
  /** Stable key, e.g. "grant:public.messages:anon". */
  id: string;
  title: string;
  /** Why the step is needed, one line per object it touches. */
  reasons: string[];
  /** Statements run in order. */
  sql: string[];
  /** Statements that restore the previous state, run in order (the undo script runs steps in reverse). */
  undo: string[];
  /** Doctor check ids this step works toward. */
  repairs: string[];
  /**
   * What the step means to take away from a role (e.g. a REVOKE): the behavioural verification then does
   * not count it as "worked before, fails after" (src/probe/compare.ts). Absent: the step takes nothing away.
   */
  intends?: IntendedChange[];
}

/** Something the planner deliberately left alone because it needs a person's decision. */
export interface Decision {
  object: string;
  detail: string;
  /** Checks that stay failing because of it: they are reported, not verified. */
  leaves: string[];
}

export interface Plan {
  command: FixCommand;
  steps: Step[];
  /** Left for a decision: reported, not a failure. */
  decisions: Decision[];
  /** The plan cannot be applied as it stands (exit 1) until the user chooses a way out. */
  refusals: Decision[];
  /** Honest warnings about what the plan creates (e.g. the guide's always-true policies). */
  notes: string[];
}

/** The checks an apply must leave passing: what the steps repair, minus what a decision leaves failing. */
export function checksToVerify(plan: Plan): string[] {
  const left = new Set([...plan.decisions, ...plan.refusals].flatMap((d) => d.leaves));
  const ids = new Set(plan.steps.flatMap((s) => s.repairs));
  return [...ids].filter((id) => !left.has(id));
}

/** Every forward statement, in order: what apply runs and the migration contains. */
export function forwardSql(plan: Plan): string[] {
  return plan.steps.flatMap((s) => s.sql);
}

/** Every undo statement, steps in reverse order. */
export function undoSql(plan: Plan): string[] {
  return [...plan.steps].reverse().flatMap((s) => s.undo);
}

export function samePlan(a: Plan, b: Plan): boolean {
  return JSON.stringify(forwardSql(a)) === JSON.stringify(forwardSql(b));
}
