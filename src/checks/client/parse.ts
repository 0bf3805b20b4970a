import type { Check } from '../types.js';
import { codeFinding, plural } from './finding.js';

/** Files the parser could not read are never silently passed over: every client check's verdict excludes them. */
export const clientParse: Check<'client'> = {
  id: 'client.parse',
  section: 'beyond',
  title: 'Client source files parse',
  verifies: 'Every TypeScript/JavaScript file (and .vue/.svelte/.astro script block) under --src parses, and no framework file of a kind campfire does not read (.mdx, .marko, .riot, .imba) is left unseen.',
  guideRef: 'Beyond the guide: the client checks can only judge code they can parse',
  fix: null,
  input: 'client',
  judge(stats) {
    const skipped = stats.skipped.map((u) => codeFinding(u.at, u.message, 'warn'));
    if (stats.unparsed.length === 0 && skipped.length) {
      return {
        status: 'warn',
        summary: `${skipped.length} of ${plural(stats.files, 'file')} under ${stats.root} are framework files campfire does not read; the client checks did not see them`,
        findings: skipped,
        advice: 'campfire reads .ts/.tsx/.js/.jsx (and variants) and the <script> blocks of .vue, .svelte and .astro files. Move realtime code out of these files into a module campfire reads, or review it by hand.',
      };
    }
    if (stats.unparsed.length === 0) return { status: 'pass', summary: `all ${plural(stats.files, 'source file')} under ${stats.root} parsed` };
    return {
      status: 'fail',
      summary: `${stats.unparsed.length} of ${plural(stats.files, 'source file')} could not be parsed; the client checks did not see them`,
      findings: [...stats.unparsed.map((u) => codeFinding(u.at, u.message)), ...skipped],
      advice: 'Fix the syntax error (or add the file to .gitignore if it is not part of the app) and run doctor again.',
    };
  },
};
