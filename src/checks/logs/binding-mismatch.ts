import { scrub } from '../../scrub.js';
import type { Check, Finding, Verdict } from '../types.js';
import { judgedOnPartialRead, readProblems, scope, type LogsInput } from './input.js';

export const logsBindingMismatch: Check<'logs'> = {
  id: 'logs.binding-mismatch',
  section: 'binding-mismatch',
  title: 'No "mismatch" errors in the server logs',
  verifies: 'No log line contains "mismatch" (case-insensitive, as the guide\'s grep -i "mismatch"), counting only lines at or after --since when given.',
  guideRef: 'Binding Mismatch Errors → Verification; Quick Diagnostic Checklist → 1',
  fix: null,
  input: 'logs',
  judge(logs: LogsInput) {
    return judgedOnPartialRead(logs, judgeRead(logs));
  },
};

function judgeRead(logs: LogsInput): Verdict {
  const m = logs.mismatch;
  const findings: Finding[] = readProblems(logs);
  if (m.count === 0) {
    return { status: 'pass', summary: `no "mismatch" lines ${scope(logs)}`, findings };
  }
  const when = !m.firstTimestamp ? '' : m.firstTimestamp === m.lastTimestamp ? ` at ${m.firstTimestamp}` : ` from ${m.firstTimestamp} to ${m.lastTimestamp}`;
  for (const s of m.samples) {
    findings.push({ object: s.timestamp ? `${s.file} @ ${s.timestamp}` : s.file, detail: scrub(s.text) });
  }
  return {
    status: 'fail',
    summary: `${m.count} "mismatch" line${m.count === 1 ? '' : 's'} ${scope(logs)}${when}`,
    findings,
    advice:
      '"mismatch between server and client bindings" is raised by realtime-js when a channel joins and the ' +
      "server's echo of its postgres_changes bindings differs from the client's (a binding added after subscribe(), " +
      'duplicate bindings, a filter sent as undefined). Publication column types do not cause it. What removes it ' +
      "is the guide's channel advice: broadcast-only channels with no .on('postgres_changes') bindings (realtime-js " +
      "builds the join from those; the config's postgres_changes: [] only records the intent). Then run doctor with " +
      '--since set to the deploy time: zero lines is the guide\'s verification.',
  };
}
