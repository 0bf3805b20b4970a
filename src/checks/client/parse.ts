import type { Check } from '../types.js';
import { codeFinding, plural } from './finding.js';

/** Files the parser could not read are never silently passed over: every client check's verdict excludes them. */
export const clientParse: Check<'client'> = {
  id: 'client.parse',
  section: 'beyond',
  title: 'Client source files parse',
  verifies: 'Every TypeScript/JavaScript file under --src parses, so the client checks saw all of the code.',
  guideRef: 'Beyond the guide: the client checks can only judge code they can parse',
  fix: null,
  input: 'client',
  judge(stats) {
    if (stats.unparsed.length === 0) return { status: 'pass', summary: `all ${plural(stats.files, 'source file')} under ${stats.root} parsed` };
    return {
      status: 'fail',
      summary: `${stats.unparsed.length} of ${plural(stats.files, 'source file')} could not be parsed; the client checks did not see them`,
      findings: stats.unparsed.map((u) => codeFinding(u.at, u.message)),
      advice: 'Fix the syntax error (or add the file to .gitignore if it is not part of the app) and run doctor again.',
    };
  },
};
