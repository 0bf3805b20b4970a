import { create } from 'xmlbuilder2';
import type { CheckResult } from '../checks/types.js';
import { SECTIONS, type SectionId } from '../checks/types.js';
import { failsGate, type Report } from './model.js';

/**
 * The report as JUnit XML, in the shape GitLab's test report and the GitHub JUnit report actions read
 * (validated against the Jenkins xunit junit-10.xsd in the tests): one <testsuite> per guide section, one
 * <testcase> per check with classname = section id and name = check id, times in seconds.
 *
 * - fail → <failure type="fail">: the check judged the setup broken.
 * - error → <error type="error">: the check could not judge (it crashed); JUnit keeps that apart from a
 *   failure and every reader counts both as red, which is what the exit code says too.
 * - warn → <failure type="warn"> under --fail-on warn (the gate fails on it); otherwise the case passes and
 *   the warning goes to <system-out>, so the JUnit verdict always agrees with the exit code.
 * - skip → <skipped message="why">.
 * xmlbuilder2 escapes markup; characters XML 1.0 forbids (control characters, U+FFFE…) are dropped.
 */
export function renderJunit(report: Report, suiteName = 'campfire doctor'): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  const failing = (r: CheckResult) => failsGate(r.status, report.failOn) && r.status !== 'error';
  const root = doc.ele('testsuites', {
    name: suiteName,
    tests: String(report.checks.length),
    failures: String(report.checks.filter(failing).length),
    errors: String(report.summary.error),
    time: seconds(sum(report.checks)),
  });
  for (const section of Object.keys(SECTIONS) as SectionId[]) {
    const checks = report.checks.filter((r) => r.section === section);
    if (!checks.length) continue;
    const suite = root.ele('testsuite', {
      name: SECTIONS[section],
      id: section,
      tests: String(checks.length),
      failures: String(checks.filter(failing).length),
      errors: String(checks.filter((r) => r.status === 'error').length),
      skipped: String(checks.filter((r) => r.status === 'skip').length),
      time: seconds(sum(checks)),
    });
    for (const r of checks) {
      const tc = suite.ele('testcase', { classname: section, name: r.id, time: seconds(r.durationMs) });
      if (r.status === 'skip') tc.ele('skipped', { message: oneLine(r.summary) });
      else if (r.status === 'error') tc.ele('error', { type: 'error', message: oneLine(r.summary) }).txt(details(r));
      else if (failing(r)) tc.ele('failure', { type: r.status, message: oneLine(r.summary) }).txt(details(r));
      else if (r.status === 'warn') tc.ele('system-out').txt(`warning: ${details(r)}`);
    }
  }
  return doc.end({ prettyPrint: true }) + '\n';
}

/** The summary, every finding, the advice and the fix: what a person reading the CI report needs. */
function details(r: CheckResult): string {
  const lines = [`${r.title}: ${r.summary}`];
  for (const f of r.findings) lines.push(`- ${f.object}: ${f.detail}`);
  if (r.advice) lines.push(`Why: ${r.advice}`);
  if (r.fix) lines.push(`Fix: ${r.fix}`);
  return lines.join('\n');
}

// Attribute values are normalised by XML parsers (newlines become spaces): say it on one line ourselves.
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sum(checks: CheckResult[]): number {
  return checks.reduce((t, r) => t + r.durationMs, 0);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(6);
}
