import type { CatalogSnapshot, FunctionInfo } from '../../db/catalog.js';
import { splitListSetting } from '../../db/list-setting.js';

export function functionsNamed(snap: CatalogSnapshot, schema: string, name: string): FunctionInfo[] {
  return snap.functions.filter((f) => f.schema === schema && f.name === name);
}

export function signature(f: FunctionInfo): string {
  return `${f.schema}.${f.name}(${f.arguments})`;
}

/** The search_path a function pins with SET search_path, or null when it inherits the caller's. */
export function pinnedSearchPath(f: FunctionInfo): string | null {
  const entry = f.config?.find((c) => c.startsWith('search_path='));
  return entry === undefined ? null : entry.slice('search_path='.length);
}

/**
 * Whether a pinned search_path keeps callers from shadowing the function's unqualified names. Postgres
 * searches the session's temporary schema FIRST unless pg_temp is listed, and at its listed position when
 * it is (PostgreSQL docs, CREATE FUNCTION, "Writing SECURITY DEFINER Functions Safely"): so only a path
 * ending in pg_temp, or the empty path ('') for a body that schema-qualifies every table, is safe.
 * `SET search_path = public` is not.
 */
export function searchPathProblem(f: FunctionInfo): string | null {
  const pinned = pinnedSearchPath(f);
  if (pinned === null) return 'no SET search_path';
  const elements = splitListSetting(pinned).filter((e) => e !== '');
  if (!elements.length) return null;
  const at = elements.indexOf('pg_temp');
  if (at === elements.length - 1) return null;
  return at === -1
    ? `search_path = ${pinned} without pg_temp: the caller's temporary schema is searched first, so a temp table can shadow a table it uses`
    : `search_path = ${pinned} lists pg_temp before ${elements.slice(at + 1).join(', ')}: a temp table can shadow those`;
}

/** pg_proc.prokind of a function in the snapshot: 'p' for procedures (ALTER PROCEDURE), else 'f'. */
export function kindOf(snap: CatalogSnapshot, f: FunctionInfo): 'f' | 'p' {
  return snap.functionExposure.find((e) => e.schema === f.schema && e.name === f.name && e.arguments === f.arguments)?.kind ?? 'f';
}
