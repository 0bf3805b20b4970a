import type { Check, Finding } from '../types.js';
import { describeType, isScalar, tableObject } from './tables.js';

/** docs/realtime-facts.md §1: the guide's explanation of the mismatch error is wrong, and people deserve to know. */
const TRUTH =
  'The guide blames these columns for "mismatch between server and client bindings". That error is ' +
  "raised by realtime-js when the server's echo of a channel's postgres_changes bindings differs from " +
  "the client's; publication column types do not cause it. Broadcast-only channels (no " +
  "`.on('postgres_changes')` bindings; realtime-js builds the join from those, so the guide's " +
  '`postgres_changes: []` config only records the intent) avoid it. Realtime also ignores publication column lists, and a list that ' +
  "misses a table's replica identity makes every UPDATE and DELETE on it fail: fix-publication keeps " +
  'the replica identity in every list.';

export const publicationScalarColumns: Check<'database'> = {
  id: 'publication.scalar-columns',
  section: 'binding-mismatch',
  title: 'Published columns are scalar',
  verifies:
    'No published column of any published table has a non-scalar type (json, jsonb, arrays, inet, enums, composites, ranges…), after resolving domains.',
  guideRef: 'Binding Mismatch Errors → Root Cause: complex data types in publications',
  fix: 'campfire fix-publication',
  input: 'database',
  judge(snap, config) {
    if (!snap.publication) {
      return { status: 'skip', summary: `publication ${config.publication} does not exist (see publication.exists)` };
    }
    const published = snap.tables.filter((t) => t.published);
    const findings: Finding[] = [];
    let columns = 0;
    for (const t of published) {
      for (const c of t.columns) {
        if (!c.published) continue;
        columns++;
        if (!isScalar(c, config.scalarTypes)) {
          findings.push({ object: `${tableObject(t)}.${c.name}`, detail: describeType(c) });
        }
      }
    }
    if (findings.length) {
      const tables = new Set(findings.map((f) => f.object.slice(0, f.object.lastIndexOf('.')))).size;
      return {
        status: 'fail',
        summary: `${findings.length} non-scalar column${findings.length === 1 ? '' : 's'} published in ${tables} table${tables === 1 ? '' : 's'}`,
        findings,
        advice: TRUTH,
      };
    }
    return { status: 'pass', summary: `${columns} published columns in ${published.length} tables, all scalar` };
  },
};
