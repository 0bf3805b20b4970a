import pg from 'pg';

/** Identifiers always through pg's escapeIdentifier, values through escapeLiteral. */
export const ident = (name: string): string => pg.escapeIdentifier(name);
export const literal = (value: string): string => pg.escapeLiteral(value);
export const qualifiedName = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

/**
 * Splits a stored list setting (proconfig's "search_path=\"$user\", public") into its elements, so it can
 * be set again as literals: SET search_path = '$user', 'public' stores exactly what was there.
 */
export function splitListSetting(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (value[i] === ' ' || value[i] === ',') i++;
    if (i >= value.length) break;
    if (value[i] === '"') {
      let cur = '';
      i++;
      while (i < value.length) {
        if (value[i] === '"' && value[i + 1] === '"') {
          cur += '"';
          i += 2;
        } else if (value[i] === '"') {
          i++;
          break;
        } else cur += value[i++];
      }
      out.push(cur);
    } else {
      let cur = '';
      while (i < value.length && value[i] !== ',') cur += value[i++];
      out.push(cur.trim());
    }
  }
  return out;
}

/** The SQL that sets a list setting back to a stored value: '' for the empty list. */
export function listSettingSql(value: string): string {
  const parts = splitListSetting(value);
  return parts.length ? parts.map(literal).join(', ') : "''";
}
