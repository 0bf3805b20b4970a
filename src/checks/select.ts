import { UsageError } from '../errors.js';
import type { CheckMeta, SectionId } from './types.js';
import { SECTIONS } from './types.js';

/** Which checks a run judges: `only` narrows to the named checks and sections, `skip` then removes some. */
export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
  /** Where the lists came from, for error messages: "--only", 'campfire.config.json "skip"'. */
  onlySource?: string;
  skipSource?: string;
}

/** Splits repeated flags and comma lists ("a,b" "c") into names; blanks are dropped. */
export function splitNames(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

/**
 * The checks a run judges, in their registry order. Deselected checks are dropped rather than reported as
 * skipped: a CI user who writes --skip X wants X out of the gate and out of the JUnit counts, and a
 * `skipped` result keeps meaning "campfire could not judge this here" (an input was missing).
 * Unknown names and selections that leave nothing are usage errors, so a typo never silently passes.
 */
export function selectChecks<C extends CheckMeta>(checks: readonly C[], selection: Selection): C[] {
  const only = selection.only ?? [];
  const skip = selection.skip ?? [];
  const onlyIds = expand(checks, only, selection.onlySource ?? '--only');
  const skipIds = expand(checks, skip, selection.skipSource ?? '--skip');
  const chosen = checks.filter((c) => (only.length === 0 || onlyIds.has(c.id)) && !skipIds.has(c.id));
  if (chosen.length === 0) {
    throw new UsageError(
      `The check selection (${describe(selection)}) leaves no check to run: name fewer in --skip or more in --only.`,
    );
  }
  return chosen;
}

/** The ids of the checks a run leaves out, for the report. */
export function deselectedIds(all: readonly CheckMeta[], chosen: readonly CheckMeta[]): string[] {
  const kept = new Set(chosen.map((c) => c.id));
  return all.filter((c) => !kept.has(c.id)).map((c) => c.id);
}

function expand(checks: readonly CheckMeta[], names: readonly string[], source: string): Set<string> {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    if (Object.hasOwn(SECTIONS, name)) {
      for (const c of checks) if (c.section === (name as SectionId)) ids.add(c.id);
    } else if (checks.some((c) => c.id === name)) {
      ids.add(name);
    } else {
      unknown.push(name);
    }
  }
  if (unknown.length) {
    const names = [...Object.keys(SECTIONS), ...checks.map((c) => c.id)];
    const hints = unknown.map((u) => closest(u, names)).filter((h): h is string => h !== undefined);
    throw new UsageError(
      `${source}: unknown check or section ${unknown.map((u) => `"${u}"`).join(', ')}${hints.length ? ` (did you mean ${hints.map((h) => `"${h}"`).join(', ')}?)` : ''}. ` +
        `Sections: ${Object.keys(SECTIONS).join(', ')}. Checks: ${checks.map((c) => c.id).join(', ')} (campfire checks lists them).`,
    );
  }
  return ids;
}

function describe(s: Selection): string {
  const parts: string[] = [];
  if (s.only?.length) parts.push(`${s.onlySource ?? '--only'} ${s.only.join(',')}`);
  if (s.skip?.length) parts.push(`${s.skipSource ?? '--skip'} ${s.skip.join(',')}`);
  return parts.join('; ');
}

/** The known name nearest to a mistyped one (edit distance at most a third of its length), if any. */
export function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
