import { describe, expect, it } from 'vitest';
import { perRowCalls } from '../../src/policies/per-row-calls.js';

// Expressions as pg_get_expr prints them.
describe('perRowCalls', () => {
  it.each([
    ["((organization_id)::text = current_setting('app.current_organization_id'::text, true))", ['current_setting()']],
    ['(auth.uid() = user_id)', ['auth.uid()']],
    ["((auth.jwt() ->> 'role'::text) = 'admin'::text)", ['auth.jwt()']],
    ["((organization_id)::text = ( SELECT current_setting('app.current_organization_id'::text, true) AS current_setting))", []],
    ['(( SELECT auth.uid() AS uid) = user_id)', []],
    ["(note = 'current_setting(x)'::text)", []],
    ["(note = 'it''s (SELECT'::text) AND (auth.uid() = user_id)", ['auth.uid()']],
    // A correlated subquery runs per row, and so does the call inside it; wrapped inside, it runs once.
    ['(EXISTS ( SELECT 1 FROM members m WHERE ((m.user_id = auth.uid()) AND (m.org = org))))', ['auth.uid()']],
    ['(EXISTS ( SELECT 1 FROM members m WHERE ((m.user_id = ( SELECT auth.uid() AS uid)) AND (m.org = org))))', []],
    [null, []],
  ])('%s → %j', (expr, calls) => {
    expect(perRowCalls(expr)).toEqual(calls);
  });
});
