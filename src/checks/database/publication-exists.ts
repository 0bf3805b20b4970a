import type { Check } from '../types.js';

export const publicationExists: Check<'database'> = {
  id: 'publication.exists',
  section: 'binding-mismatch',
  title: 'Realtime publication exists',
  verifies: 'The publication Supabase Realtime reads (supabase_realtime) exists.',
  guideRef: 'Binding Mismatch Errors → Solution: Implement scalar-only publication',
  fix: 'campfire fix-publication',
  input: 'database',
  judge(snap, config) {
    const pub = snap.publication;
    if (!pub) {
      return {
        status: 'fail',
        summary: `publication ${config.publication} does not exist: Realtime has nothing to stream`,
        findings: [{ object: config.publication, detail: 'publication does not exist' }],
      };
    }
    const scope = pub.allTables ? 'FOR ALL TABLES' : pub.hasSchemas ? 'with whole schemas' : 'with a table list';
    const ops = (['insert', 'update', 'delete', 'truncate'] as const).filter((op) => pub[op]);
    return { status: 'pass', summary: `publication ${pub.name} exists (${scope}; publishes ${ops.join(', ') || 'nothing'})` };
  },
};
