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
 * One EXPLAIN per table carries every expression of that table. Tables campfire's user may not SELECT
 * are left unasked (null), as are expressions with a subquery: planning one needs privileges on other
 * tables, and an error there would abort the caller's transaction.
 */
export async function foldPolicies(client: ClientBase, snap: CatalogSnapshot): Promise<PolicyFolding[]> {
  const allowed = new Set(snap.explainableTables.map((t) => `${t.schema}.${t.table}`));
  const out: PolicyFolding[] = [];
  for (const t of snap.tables) {
    if (!t.isGuideTable || !t.policies.length) continue;
    const exprs: string[] = [];
    const slot = (e: string | null): number | null => {
      if (e === null || !allowed.has(`${t.schema}.${t.name}`) || /\bselect\b/i.test(e)) return null;
      exprs.push(e);
      return exprs.length - 1;
    };
    const slots = t.policies.map((p) => ({ p, using: slot(p.using), check: slot(p.check) }));
    let outputs: string[] = [];
    if (exprs.length) {
      const sql = `EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) SELECT ${exprs.map((e) => `(${e})`).join(', ')} FROM ONLY ${ident(t.schema)}.${ident(t.name)}`;
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: { Output?: string[] } }] }>(sql);
      outputs = rows[0]?.['QUERY PLAN'][0].Plan.Output ?? [];
    }
    for (const { p, using, check } of slots) {
      const planned = (i: number | null) => (i === null ? null : outputs[i] ?? null);
      out.push({
        schema: t.schema,
        table: t.name,
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

function classify(planned: string | null, source: string | null): FoldedConstant {
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
