import type { TableInfo } from '../../db/catalog.js';
import type { Check, Finding } from '../types.js';
import { tableObject } from './tables.js';

/** Why UPDATE/DELETE on a published table would fail, or null when they work (docs/realtime-facts.md §2). */
export function replicaIdentityProblem(t: TableInfo): string | null {
  const listed = new Set(t.columns.filter((c) => c.published).map((c) => c.name));
  const coverage = (cols: string[], what: string): string | null => {
    if (!t.hasColumnList) return null;
    const missing = cols.filter((c) => !listed.has(c));
    return missing.length
      ? `column list omits ${what} column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: every UPDATE and DELETE fails ("Column list used by the publication does not cover the replica identity")`
      : null;
  };
  switch (t.replicaIdentity) {
    case 'f':
      return t.hasColumnList
        ? 'REPLICA IDENTITY FULL with a column list: every UPDATE and DELETE fails (no column list is valid on a FULL table)'
        : null;
    case 'n':
      return 'REPLICA IDENTITY NOTHING: every UPDATE and DELETE fails ("does not have a replica identity and publishes updates")';
    case 'i':
      return t.replicaIdentityIndex
        ? coverage(t.replicaIdentityIndex.columns, `replica identity index ${t.replicaIdentityIndex.name}`)
        : 'REPLICA IDENTITY USING INDEX, but the index is gone: every UPDATE and DELETE fails';
    default:
      return t.primaryKey
        ? coverage(t.primaryKey, 'primary key')
        : 'no primary key and REPLICA IDENTITY DEFAULT: every UPDATE and DELETE fails ("does not have a replica identity and publishes updates")';
  }
}

export const publicationReplicaIdentity: Check<'database'> = {
  id: 'publication.replica-identity',
  section: 'beyond',
  title: 'Published tables keep UPDATE and DELETE working',
  verifies:
    'Every published table has a replica identity, its column list (if any) covers it, and no REPLICA IDENTITY FULL table has a column list.',
  guideRef: "Beyond the guide: the guide's column lists can make every UPDATE on a table fail (Postgres 15+)",
  fix: 'campfire fix-publication',
  input: 'database',
  judge(snap, config) {
    const pub = snap.publication;
    if (!pub) return { status: 'skip', summary: `publication ${config.publication} does not exist (see publication.exists)` };
    // Postgres only demands a replica identity for the operations the publication publishes.
    if (!pub.update && !pub.delete) {
      return { status: 'pass', summary: `publication ${pub.name} publishes neither UPDATE nor DELETE, so no replica identity is required` };
    }
    const published = snap.tables.filter((t) => t.published);
    const findings: Finding[] = published.flatMap((t) => {
      const problem = replicaIdentityProblem(t);
      return problem ? [{ object: tableObject(t), detail: problem }] : [];
    });
    if (findings.length) {
      return { status: 'fail', summary: `${findings.length} published table${findings.length === 1 ? '' : 's'} where writes fail`, findings };
    }
    return { status: 'pass', summary: `UPDATE and DELETE work on all ${published.length} published tables` };
  },
};
