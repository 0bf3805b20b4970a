import type { Check } from '../types.js';
import { connectProblem } from './describe.js';

export const realtimeBindings: Check<'realtime'> = {
  id: 'realtime.bindings',
  section: 'binding-mismatch',
  title: "The server's postgres_changes echo matches the client's bindings",
  verifies: 'Joining with the bindings in --bindings FILE, realtime-js accepts the server\'s echo (no "mismatch between server and client bindings"). Skipped without --bindings.',
  guideRef: 'Binding Mismatch Errors (beyond the guide: tests the real cause)',
  fix: null,
  input: 'realtime',
  judge(stats) {
    const b = stats.bindings;
    if (!b) {
      return { status: 'skip', summary: connectProblem(stats) ? 'bindings not tested: could not connect (see realtime.join)' : 'no --bindings file given' };
    }
    const echo = b.echoed ? JSON.stringify(b.echoed) : 'no echo seen';
    if (b.matches) return { status: 'pass', summary: `the server echoed all ${b.sent.length} bindings from ${b.file} as sent`, findings: [{ object: b.file, detail: `echo: ${echo}` }] };
    if (b.join.status === 'CHANNEL_ERROR' && /mismatch/i.test(b.join.reason ?? '')) {
      return {
        status: 'fail',
        summary: `mismatch between server and client bindings: the server's echo of ${b.file} differs from what the client sent`,
        findings: [
          { object: 'client sent', detail: JSON.stringify(b.sent) },
          { object: 'server echoed', detail: echo },
        ],
        advice: 'realtime-js raises this itself when the echo differs index by index (a binding added after subscribe(), a duplicate, or a filter the server normalises). Column types in the publication do not cause it.',
      };
    }
    return { status: 'fail', summary: `bindings join did not complete: ${b.join.status}${b.join.reason ? `: ${b.join.reason}` : ''}` };
  },
};
