import type { CatalogSnapshot } from '../db/catalog.js';
import { splitListSetting } from './sqltext.js';

/**
 * The search_path a role resolves names with today, as Postgres picks it at session start: the role's
 * setting for this database, else the role's for all databases, else the database's, else the server's
 * (ALTER ROLE / ALTER DATABASE … SET, pg_db_role_setting; PostgreSQL docs "ALTER ROLE"). PostgREST
 * applies the impersonated role's settings the same way. Null when the snapshot lacks the facts.
 */
export function effectiveSearchPath(snap: CatalogSnapshot, role: string): string | null {
  const s = snap.searchPathSettings;
  if (!s) return null;
  const r = s.roles.find((x) => x.role === role);
  return r?.databaseRole ?? r?.allDatabases ?? s.database ?? s.server;
}

/**
 * The schemas that path resolves to, in order, for `role`: "$user" becomes the role's own schema when
 * one exists (else it resolves to nothing), pg_temp is dropped (a pin puts it last).
 */
export function resolvedSchemas(path: string, role: string, snap: CatalogSnapshot): string[] {
  const out: string[] = [];
  for (const part of splitListSetting(path)) {
    const name = part === '$user' ? (snap.searchPathSettings?.schemas.includes(role) ? role : null) : part;
    if (!name || name === 'pg_temp' || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

export type PinChoice = { schemas: string[]; why: string } | { conflict: string };

/**
 * What to pin a function's search_path to so it keeps resolving what it resolves today for the roles
 * that fire it. With pg_temp last (PostgreSQL docs, CREATE FUNCTION, "Writing SECURITY DEFINER Functions
 * Safely"), and the guide's schema kept, because the function's insert names its table unqualified.
 */
export function pinFor(snap: CatalogSnapshot, roles: string[], schema: string): PinChoice {
  if (!snap.searchPathSettings || !roles.length) return { schemas: [schema], why: `${schema} (the guide's schema; the server's search_path settings were not read)` };
  const per = roles.map((r) => ({ role: r, path: effectiveSearchPath(snap, r)!, schemas: resolvedSchemas(effectiveSearchPath(snap, r)!, r, snap) }));
  const first = per[0]!;
  const differ = per.find((p) => p.schemas.join(',') !== first.schemas.join(','));
  if (differ) {
    return { conflict: `${first.role} resolves names through ${first.schemas.join(', ') || '(nothing)'} but ${differ.role} through ${differ.schemas.join(', ') || '(nothing)'}: one pinned search_path cannot keep both` };
  }
  const schemas = first.schemas.includes(schema) ? first.schemas : [...first.schemas, schema];
  return { schemas, why: `${schemas.join(', ')}: what ${roles.join(' and ')} resolve today (search_path ${first.path})${first.schemas.includes(schema) ? '' : `, plus ${schema} for its unqualified insert`}` };
}
