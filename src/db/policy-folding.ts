import type { ClientBase } from 'pg';
import type { CatalogSnapshot, FoldedConstant, PolicyFolding } from './catalog.js';

/**
 * Asks the planner what each policy expression on the guide's tables reduces to.
 *
 * Why the planner and not a pattern: `(1 = 1)`, `'t'::boolean`, `true OR organization_id = x` and
 * `NOT false` all admit every row, and only Postgres knows every way an expression folds. The planner's
 * constant folding (eval_const_expressions) is what row security itself goes through, so
 * `EXPLAIN (VERBOSE) SELECT (<expr>) FROM ONLY <table>` prints `Output: true` exactly when the
 * expression is constant true for every row. The expression goes in the target list, not in WHERE, so
 * row security on the table (FORCE ROW LEVEL SECURITY for the owner) adds its filter beside it without
 * changing the output. EXPLAIN plans and never executes: it reads no row and writes nothing, and the
 * lock it takes (ACCESS SHARE) is the one reading the policy's expression already took.
 *
 * One EXPLAIN per table carries every expression of that table, all sent in one round trip. Tables campfire's user may not SELECT
 * are left unasked (null), as are expressions with a subquery: planning one needs privileges on other
 * tables, and an error there would abort the caller's transaction.
 */
export async function foldPolicies(client: ClientBase, snap: CatalogSnapshot): Promise<PolicyFolding[]> {
  const explainable = new Set(snap.explainableTables.map((t) => `${t.schema}.${t.table}`));
  const tables = snap.tables.filter((t) => t.isGuideTable && t.policies.length);
  const plans = tables.map((t) => {
    const exprs: string[] = [];
    const slot = (e: string | null): number | null => {
      if (e === null || !explainable.has(`${t.schema}.${t.name}`) || /\bselect\b/i.test(e)) return null;
      exprs.push(e);
      return exprs.length - 1;
    };
    return { t, exprs, slots: t.policies.map((p) => ({ p, using: slot(p.using), check: slot(p.check) })) };
  });
  // Every table's EXPLAIN in one round trip (a simple-protocol query may carry several statements).
  const asked = plans.filter((x) => x.exprs.length);
  const outputs = new Map<(typeof plans)[number], string[]>();
  if (asked.length) {
    const sql = asked.map((x) => explainSql(x.t.schema, x.t.name, x.exprs)).join(';\n');
    const res = await client.query(sql);
    const results = (Array.isArray(res) ? res : [res]) as { rows: ExplainRow[] }[];
    asked.forEach((x, i) => outputs.set(x, planOutput(results[i]!.rows)));
  }
  const out: PolicyFolding[] = [];
  for (const x of plans) {
    const got = outputs.get(x) ?? [];
    for (const { p, using, check } of x.slots) {
      const planned = (i: number | null) => (i === null ? null : got[i] ?? null);
      out.push({
        schema: x.t.schema,
        table: x.t.name,
        policy: p.name,
        using: classify(planned(using), p.using),
        check: classify(planned(check), p.check),
        usingPlanned: planned(using),
        checkPlanned: planned(check),
      });
    }
  }
  return out;
}

type ExplainRow = { 'QUERY PLAN': [{ Plan: { Output?: string[] } }] };

function explainSql(schema: string, table: string, exprs: string[]): string {
  return `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) SELECT ${exprs.map((e) => `(${e})`).join(', ')} FROM ONLY ${ident(schema)}.${ident(table)}`;
}

function planOutput(rows: ExplainRow[]): string[] {
  return rows[0]?.['QUERY PLAN'][0].Plan.Output ?? [];
}

/**
 * The planner's rendering of each boolean expression over the table, in order (`true` when it folds to
 * constant true). The caller must hold SELECT on the table and pass expressions without subqueries
 * (pg_get_expr output of a policy on that table).
 */
export async function plannedExpressions(client: ClientBase, schema: string, table: string, exprs: string[]): Promise<string[]> {
  if (!exprs.length) return [];
  const { rows } = await client.query<ExplainRow>(explainSql(schema, table, exprs));
  return planOutput(rows);
}

/** 'true' | 'false' | 'null' for a constant, 'row' otherwise; null when the expression was absent or unasked. */
export function classify(planned: string | null, source: string | null): FoldedConstant {
  if (source === null) return null;
  if (planned === null) return null;
  if (planned === 'true') return 'true';
  if (planned === 'false') return 'false';
  if (planned === 'NULL::boolean') return 'null';
  return 'row';
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
