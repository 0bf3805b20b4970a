import type { CatalogSnapshot, FunctionInfo } from '../../db/catalog.js';

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
