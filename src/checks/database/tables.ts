import type { CampfireConfig } from '../../config.js';
import type { CatalogSnapshot, ColumnInfo, TableInfo } from '../../db/catalog.js';

export interface GuideTable {
  /** The name the config knows it by. */
  key: keyof CampfireConfig['tables'];
  /** schema.name, for findings. */
  object: string;
  table: TableInfo | undefined;
}

/** The guide's three tables, found or not, in the guide's order. */
export function guideTables(snap: CatalogSnapshot, config: CampfireConfig): GuideTable[] {
  return (Object.keys(config.tables) as GuideTable['key'][]).map((key) => {
    const name = config.tables[key];
    return {
      key,
      object: `${config.schema}.${name}`,
      table: snap.tables.find((t) => t.isGuideTable && t.schema === config.schema && t.name === name),
    };
  });
}

export function tableObject(t: TableInfo): string {
  return `${t.schema}.${t.name}`;
}

export function missingTable(object: string): { object: string; detail: string } {
  return { object, detail: 'table does not exist (check the schema and table names in campfire.config.json)' };
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
