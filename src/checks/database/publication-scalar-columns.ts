import type { Check, Finding } from '../types.js';
import { describeType, isScalar, tableObject } from './tables.js';

/**
 * The verdict is the guide's checklist item (a scalar-only publication), and the words say exactly that:
 * failing here means "not what the guide's checklist asks for", never "this is why your channel errors".
 * Sources (docs/realtime-facts.md §1): realtime-js raises the error in RealtimeChannel's postgres
 * bindings comparison, and the Realtime server's list_changes reads table names and operations, not
 * column lists.
 */
const TRUTH =
  "Why this fails: the guide's checklist asks for a scalar-only publication, and fix-publication writes one " +
  "(column lists that keep each table's replica identity, so UPDATE and DELETE keep working). What it does " +
  'not fix: "mismatch between server and client bindings" is raised by realtime-js when the server\'s echo of a ' +
  "channel's postgres_changes bindings differs from the client's; publication column types do not cause it, " +
  'and Realtime ignores column lists, so your channels stream the same columns after the fix. What removes the ' +
  "error is the guide's channel advice: broadcast-only channels with no `.on('postgres_changes')` bindings " +
  "(realtime-js builds the join from those; the `postgres_changes: []` config only records the intent), checked by client.broadcast-only.";

export const publicationScalarColumns: Check<'database'> = {
  id: 'publication.scalar-columns',
  section: 'binding-mismatch',
  title: "Publication is scalar-only, as the guide's checklist asks",
  verifies:
    "The guide's checklist item: no published column of any published table has a non-scalar type (json, jsonb, arrays, inet, enums, composites, ranges…), after resolving domains. A failure means the checklist item is not met; it is not what raises \"mismatch between server and client bindings\" (the advice says what does).",
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
        summary: `${findings.length} non-scalar column${findings.length === 1 ? '' : 's'} published in ${tables} table${tables === 1 ? '' : 's'}: not the guide's scalar-only publication (not the cause of the mismatch error; see below)`,
        findings,
        advice: TRUTH,
      };
    }
    return { status: 'pass', summary: `${columns} published columns in ${published.length} tables, all scalar` };
  },
};
