import type { CatalogSnapshot, TableInfo } from '../db/catalog.js';
import { ident, qualifiedName } from './sqltext.js';

const LETTERS: Record<string, string> = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', x: 'REFERENCES' };

/** An aclitem's text ("anon=a*r/postgres", "\"we ird\"=r/postgres", "=r/postgres" for PUBLIC) split up. */
export function parseAclItem(item: string): { grantee: string; privileges: { name: string; grantOption: boolean }[] } | null {
  let i = 0;
  let grantee = '';
  if (item[0] === '"') {
    i = 1;
    while (i < item.length) {
      if (item[i] === '"' && item[i + 1] === '"') { grantee += '"'; i += 2; } else if (item[i] === '"') { i++; break; } else grantee += item[i++];
    }
  } else {
    while (i < item.length && item[i] !== '=') grantee += item[i++];
  }
  if (item[i] !== '=') return null;
  i++;
  const privileges: { name: string; grantOption: boolean }[] = [];
  while (i < item.length && item[i] !== '/') {
    const name = LETTERS[item[i]!];
    const grantOption = item[i + 1] === '*';
    if (name) privileges.push({ name, grantOption });
    i += grantOption ? 2 : 1;
  }
  return { grantee: grantee || 'public', privileges };
}

/**
 * A table-level REVOKE also removes the same privilege from every column (PostgreSQL docs, REVOKE), so an
 * undo that revokes a table privilege must grant the role's column privileges back: these statements do.
 */
export function restoreColumnGrants(snap: CatalogSnapshot, t: TableInfo, role: string, revoked: readonly string[]): string[] {
  const facts = snap.tableSafety?.find((s) => s.schema === t.schema && s.name === t.name);
  const out: string[] = [];
  for (const col of facts?.columnAcl ?? []) {
    for (const item of col.acl) {
      const parsed = parseAclItem(item);
      if (!parsed || parsed.grantee !== role) continue;
      for (const grantOption of [false, true]) {
        const privs = parsed.privileges.filter((p) => revoked.includes(p.name) && p.grantOption === grantOption).map((p) => p.name);
        if (!privs.length) continue;
        const to = role === 'public' ? 'PUBLIC' : ident(role);
        out.push(`GRANT ${privs.map((p) => `${p} (${ident(col.column)})`).join(', ')} ON TABLE ${qualifiedName(t.schema, t.name)} TO ${to}${grantOption ? ' WITH GRANT OPTION' : ''}`);
      }
    }
  }
  return out;
}
