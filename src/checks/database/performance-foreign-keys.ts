import type { Check, Finding } from '../types.js';
import { guideTables } from './tables.js';
import { quoteIdent } from '../../db/list-setting.js';

export const performanceForeignKeys: Check<'database'> = {
  id: 'performance.foreign-key-indexes',
  section: 'performance',
  title: "Foreign keys on the guide's tables are indexed",
  verifies:
    "Warns when a foreign key of conversations, messages or realtime_conversations has no valid, non-partial index leading with its columns (messages.conversation_id): loading a conversation's messages and deleting a conversation (ON DELETE CASCADE) then scan the whole table.",
  guideRef: 'Performance Issues → Slow message delivery or high latency (splinter lint 0001 unindexed_foreign_keys)',
  // CREATE INDEX on a busy table blocks writes unless CONCURRENTLY, which cannot run in a transaction: a person runs it.
  fix: null,
  input: 'database',
  judge(snap, config) {
    const names = new Set(guideTables(snap, config).filter((g) => g.table).map((g) => g.table!.name));
    const keys = snap.foreignKeys.filter((k) => k.schema === config.schema && names.has(k.table));
    const findings: Finding[] = keys
      .filter((k) => !k.indexed)
      .map((k) => ({
        object: `${k.schema}.${k.table} (${k.columns.join(', ')})`,
        detail: `foreign key ${k.name} has no index: CREATE INDEX CONCURRENTLY ON ${quoteIdent(k.schema)}.${quoteIdent(k.table)} (${k.columns.map(quoteIdent).join(', ')});`,
      }));
    if (findings.length) return { status: 'warn', summary: `${findings.length} unindexed foreign key${findings.length === 1 ? '' : 's'}`, findings };
    return { status: 'pass', summary: `${keys.length} foreign key${keys.length === 1 ? '' : 's'} on the guide's tables, all indexed` };
  },
};
