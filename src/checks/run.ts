import type { CampfireConfig } from '../config.js';
import { scrub } from '../scrub.js';
import type { Check, CheckResult, Finding, InputKind, Inputs } from './types.js';

/**
 * Judges every check against the inputs gathered once. A check whose input is absent is skipped with
 * the reason; a judge that throws becomes status "error" (as flutter doctor's crashed validator) and
 * the others still run.
 */
export function runChecks(
  checks: readonly Check[],
  inputs: Inputs,
  config: CampfireConfig,
  skipReasons: Partial<Record<InputKind, string>> = {},
): CheckResult[] {
  return checks.map((check) => {
    const base = { id: check.id, section: check.section, title: check.title, fix: check.fix };
    const input = inputs[check.input];
    if (input === undefined) {
      const summary = skipReasons[check.input] ?? `no ${check.input} input given`;
      return { ...base, status: 'skip', summary, findings: [], durationMs: 0 };
    }
    const started = performance.now();
    try {
      const verdict = check.judge(input, config);
      const result: CheckResult = {
        ...base,
        status: verdict.status,
        summary: scrub(verdict.summary),
        findings: (verdict.findings ?? []).map(scrubFinding),
        durationMs: elapsed(started),
      };
      if (verdict.advice) result.advice = scrub(verdict.advice);
      // A passing check has nothing to fix.
      if (verdict.status === 'pass' || verdict.status === 'skip') result.fix = null;
      return result;
    } catch (err) {
      return {
        ...base,
        status: 'error',
        summary: scrub(`check crashed: ${err instanceof Error ? err.message : String(err)}`),
        findings: [],
        fix: null,
        durationMs: elapsed(started),
      };
    }
  });
}

/**
 * Findings quote what campfire read (log lines, HTTP bodies, source excerpts, catalog names): every report
 * format is written from these results, so scrubbing here keeps credentials and terminal escapes out of
 * all of them at once.
 */
function scrubFinding(f: Finding): Finding {
  const out: Finding = { ...f, object: scrub(f.object), detail: scrub(f.detail) };
  if (f.location) out.location = { ...f.location, excerpt: scrub(f.location.excerpt) };
  return out;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
