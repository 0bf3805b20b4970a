import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { CatalogSnapshot } from '../../src/db/catalog.js';
import { parseAclItem } from '../../src/fixes/acl.js';
import { commentText } from '../../src/fixes/comment.js';
import { effectiveSearchPath, pinFor, resolvedSchemas } from '../../src/fixes/search-path.js';

describe('configured names', () => {
  // Every character PostgreSQL's scanner ends a -- comment on, and the others an editor or terminal would.
  it.each(['\n', '\r', '\t', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029'])('refuses %j in any name, naming the key and the character', (ch) => {
    for (const doc of [{ schema: `a${ch}b` }, { publication: `p${ch}` }, { tables: { messages: `${ch}m` } }, { roles: { anon: `x${ch}` } }, { functions: { sync: `f${ch}` } }, { trigger: `t${ch}` }, { scalarTypes: [`c${ch}`] }]) {
      expect(() => parseConfig(doc)).toThrow(/contains the control character U\+[0-9A-F]{4}/);
    }
  });
  it('still accepts quotes, spaces, semicolons and unicode (they are quoted in SQL and harmless in comments)', () => {
    expect(parseConfig({ publication: `x"; drop table t; -- é 🔥` }).publication).toBe(`x"; drop table t; -- é 🔥`);
  });
});

describe('comment text', () => {
  it('escapes every line terminator and control character, and nothing else', () => {
    expect(commentText('a\nb\r\nc\u2028d\u0000e')).toBe('a\\u000ab\\u000d\\u000ac\\u2028d\\u0000e');
    expect(commentText(`x"; DROP TABLE t; -- é`)).toBe(`x"; DROP TABLE t; -- é`);
  });
});

describe('aclitem text', () => {
  it.each([
    ['anon=arw/postgres', 'anon', ['INSERT', 'SELECT', 'UPDATE'], [false, false, false]],
    ['authenticated=a*r/postgres', 'authenticated', ['INSERT', 'SELECT'], [true, false]],
    ['"we ""ird"=w/postgres', 'we "ird', ['UPDATE'], [false]],
    ['=r/postgres', 'public', ['SELECT'], [false]],
  ])('%s', (item, grantee, names, options) => {
    const parsed = parseAclItem(item)!;
    expect(parsed.grantee).toBe(grantee);
    expect(parsed.privileges.map((p) => p.name)).toEqual(names);
    expect(parsed.privileges.map((p) => p.grantOption)).toEqual(options);
  });
});

describe('the search_path a role resolves today', () => {
  const snap = (s: NonNullable<CatalogSnapshot['searchPathSettings']>) => ({ searchPathSettings: s }) as CatalogSnapshot;
  const roles = (anon: string | null, authenticated: string | null) => [
    { role: 'anon', databaseRole: anon, allDatabases: null },
    { role: 'authenticated', databaseRole: null, allDatabases: authenticated },
  ];
  it('role in this database, then role, then database, then server', () => {
    const s = snap({ server: '"$user", public', database: 'public, extensions', roles: roles('app, public', null), schemas: [] });
    expect(effectiveSearchPath(s, 'anon')).toBe('app, public');
    expect(effectiveSearchPath(s, 'authenticated')).toBe('public, extensions');
    expect(effectiveSearchPath(snap({ server: '"$user", public', database: null, roles: roles(null, null), schemas: [] }), 'anon')).toBe('"$user", public');
  });
  it('"$user" becomes the role\'s schema only when it exists; pg_temp is dropped, to be put last', () => {
    expect(resolvedSchemas('"$user", public, pg_temp, extensions', 'anon', snap({ server: '', database: null, roles: [], schemas: ['anon'] }))).toEqual(['anon', 'public', 'extensions']);
    expect(resolvedSchemas('"$user", public', 'anon', snap({ server: '', database: null, roles: [], schemas: [] }))).toEqual(['public']);
  });
  it('pins what both roles resolve, adds the function\'s schema when missing, and refuses to choose between different paths', () => {
    const same = snap({ server: '"$user", public, extensions', database: null, roles: roles(null, null), schemas: [] });
    expect(pinFor(same, ['anon', 'authenticated'], 'public')).toMatchObject({ schemas: ['public', 'extensions'] });
    expect(pinFor(same, ['anon', 'authenticated'], 'app')).toMatchObject({ schemas: ['public', 'extensions', 'app'] });
    const differ = snap({ server: 'public', database: null, roles: roles('public, extensions', null), schemas: [] });
    expect(pinFor(differ, ['anon', 'authenticated'], 'public')).toHaveProperty('conflict');
  });
});
