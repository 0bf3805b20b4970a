import pg from 'pg';

/** Identifiers always through pg's escapeIdentifier, values through escapeLiteral. */
export const ident = (name: string): string => pg.escapeIdentifier(name);
export const literal = (value: string): string => pg.escapeLiteral(value);
export const qualifiedName = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

// Lives in a module without pg so the checks can use it: `campfire checks` must not load pg.
export { splitListSetting } from '../db/list-setting.js';
import { splitListSetting } from '../db/list-setting.js';

/** The SQL that sets a list setting back to a stored value: '' for the empty list. */
export function listSettingSql(value: string): string {
  const parts = splitListSetting(value);
  return parts.length ? parts.map(literal).join(', ') : "''";
}
