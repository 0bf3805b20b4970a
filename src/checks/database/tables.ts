import type { CampfireConfig } from '../../config.js';
import type { CatalogSnapshot, ColumnInfo, TableInfo } from '../../db/catalog.js';

export interface GuideTable {
  /** The name the config knows it by. */
  key: keyof CampfireConfig['tables'];
  /** schema.name, for findings. */
  object: string;
  table: TableInfo | undefined;
  /** When the name is taken by something that is not a table (a view, a foreign table…): what it is. */
  notATable?: string;
}

/** pg_class.relkind in words, for relations that are not tables campfire can repair. */
const RELATION_KINDS: Record<string, string> = {
  v: 'a view', m: 'a materialized view', f: 'a foreign table', S: 'a sequence', i: 'an index', I: 'a partitioned index', c: 'a composite type',
};

/** Plain and partitioned tables: the only relations that take grants, RLS and publication membership as the guide means. */
export function isTable(t: TableInfo): boolean {
  return t.kind === 'r' || t.kind === 'p';
}

/** "a view", "a foreign table": what a relation is, for one that is not a table. */
export function relationKind(kind: string): string {
  return RELATION_KINDS[kind] ?? `a relation of kind ${kind}`;
}

/** The guide's three tables, found or not, in the guide's order. */
export function guideTables(snap: CatalogSnapshot, config: CampfireConfig): GuideTable[] {
  return (Object.keys(config.tables) as GuideTable['key'][]).map((key) => {
    const name = config.tables[key];
    const rel = snap.tables.find((t) => t.isGuideTable && t.schema === config.schema && t.name === name);
    // A view or foreign table of that name is reported as what it is, never judged or repaired as a table.
    return {
      key,
      object: `${config.schema}.${name}`,
      table: rel && isTable(rel) ? rel : undefined,
      ...(rel && !isTable(rel) ? { notATable: relationKind(rel.kind) } : {}),
    };
  });
}

export function tableObject(t: TableInfo): string {
  return `${t.schema}.${t.name}`;
}

export function missingTable(g: string | GuideTable): { object: string; detail: string } {
  if (typeof g !== 'string' && g.notATable) {
    return { object: g.object, detail: `is ${g.notATable}, not a table: campfire checks and repairs tables only (configure the table behind it in campfire.config.json)` };
  }
  return { object: typeof g === 'string' ? g : g.object, detail: 'table does not exist (check the schema and table names in campfire.config.json)' };
}

/**
 * The guide's scalar types, by pg_catalog type name. Applied to the base type after resolving domains;
 * arrays (even of scalars), json/jsonb, inet, enums, composites and ranges are all outside it.
 */
export const SCALAR_TYPES = new Set([
  'bool', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'text', 'varchar', 'bpchar',
  'uuid', 'date', 'time', 'timetz', 'timestamp', 'timestamptz',
]);

export function isScalar(col: ColumnInfo, extra: readonly string[]): boolean {
  if (col.baseSchema === 'pg_catalog' && SCALAR_TYPES.has(col.baseName)) return true;
  return extra.includes(col.baseName) || extra.includes(`${col.baseSchema}.${col.baseName}`);
}

const KIND_WORDS: Record<string, string> = { c: 'composite', e: 'enum', r: 'range', m: 'multirange', p: 'pseudo-type' };

/** "jsonb", "text[] (array)", "priority (enum)", "payload (domain over jsonb)". */
export function describeType(col: ColumnInfo): string {
  const kind = col.baseCategory === 'A' ? 'array' : KIND_WORDS[col.baseKind];
  const base = kind ? `${col.baseType} (${kind})` : col.baseType;
  return col.isDomain ? `${col.type} (domain over ${base})` : base;
}
