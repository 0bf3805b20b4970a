/**
 * Calls in a policy expression that Postgres evaluates once per row. current_setting() and Supabase's
 * auth.uid()/auth.jwt()/auth.role()/auth.email() are STABLE, so the planner keeps them per row; wrapped
 * in a scalar subquery, `(select auth.uid())`, they become an InitPlan evaluated once per statement
 * (Supabase docs, "RLS Performance and Best Practices"; splinter lint 0003 auth_rls_initplan).
 * pg_get_expr prints such a subquery as `( SELECT auth.uid() AS uid)`: those are skipped here; calls
 * inside a subquery with FROM (possibly correlated, so run per row) are not.
 */
const PER_ROW = /\b(current_setting|auth\.(?:uid|jwt|role|email))\s*\(/gi;

export function perRowCalls(expression: string | null): string[] {
  if (expression === null) return [];
  const bare = withoutSubqueries(expression);
  return [...new Set([...bare.matchAll(PER_ROW)].map((m) => `${m[1]!.toLowerCase()}()`))];
}

/** The expression with every parenthesised SELECT … (and string literal) removed. */
function withoutSubqueries(e: string): string {
  let out = '';
  let i = 0;
  while (i < e.length) {
    if (e[i] === "'") {
      const end = skipLiteral(e, i);
      out += "''";
      i = end;
    } else if (e[i] === '(' && /^\(\s*select\b/i.test(e.slice(i, i + 12))) {
      const end = skipParens(e, i);
      const inner = e.slice(i + 1, end - 1);
      // A SELECT without FROM (`( SELECT auth.uid() AS uid)`) is an InitPlan, run once. A subquery with
      // FROM may be correlated (EXISTS (… WHERE m.user_id = auth.uid() AND m.org = org)): its calls run
      // for every outer row, so they are looked at too.
      if (/\bfrom\b/i.test(withoutLiterals(inner))) out += withoutSubqueries(inner.replace(/^\s*select\b/i, ''));
      i = end;
    } else out += e[i++];
  }
  return out;
}

function withoutLiterals(e: string): string {
  let out = '';
  let i = 0;
  while (i < e.length) {
    if (e[i] === "'") {
      i = skipLiteral(e, i);
      out += "''";
    } else out += e[i++];
  }
  return out;
}

function skipLiteral(e: string, i: number): number {
  i++;
  while (i < e.length) {
    if (e[i] === "'" && e[i + 1] === "'") i += 2;
    else if (e[i] === "'") return i + 1;
    else i++;
  }
  return i;
}

function skipParens(e: string, i: number): number {
  let depth = 0;
  while (i < e.length) {
    if (e[i] === "'") {
      i = skipLiteral(e, i);
      continue;
    }
    if (e[i] === '(') depth++;
    else if (e[i] === ')' && --depth === 0) return i + 1;
    i++;
  }
  return i;
}
