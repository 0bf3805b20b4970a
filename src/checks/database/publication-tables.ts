import type { Check, Finding } from '../types.js';
import { guideTables, missingTable } from './tables.js';

export const publicationTables: Check<'database'> = {
  id: 'publication.tables',
  section: 'binding-mismatch',
  title: "The guide's tables are published",
  verifies: 'conversations, messages and realtime_conversations are all in the publication.',
  guideRef: 'Binding Mismatch Errors → CREATE PUBLICATION supabase_realtime FOR TABLE conversations, messages, realtime_conversations',
  fix: 'campfire fix-publication',
  input: 'database',
  judge(snap, config) {
    if (!snap.publication) {
      return { status: 'fail', summary: `publication ${config.publication} does not exist, so no table is published`,
        findings: guideTables(snap, config).map((g) => ({ object: g.object, detail: 'not published (no publication)' })) };
    }
    const findings: Finding[] = [];
    for (const g of guideTables(snap, config)) {
      if (!g.table) findings.push(missingTable(g));
      else if (!g.table.published) findings.push({ object: g.object, detail: `not in publication ${config.publication}` });
      else if (g.table.name.includes(' ')) {
        findings.push({ object: g.object, detail: 'published, but Realtime skips table names that contain a space' });
      }
    }
    if (findings.length) {
      return { status: 'fail', summary: `${findings.length} of the guide's 3 tables not published usefully`, findings };
    }
    return { status: 'pass', summary: `all 3 tables are in publication ${config.publication}` };
  },
};
