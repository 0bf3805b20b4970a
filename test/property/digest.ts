import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fullCatalog } from '../support/catalog.js';
import type { TestDb } from '../support/db.js';

/** The machine's pg_dump; it can dump servers of its own major version or older only. */
const PG_DUMP_15 = '/usr/lib/postgresql/15/bin/pg_dump';

export type DigestKind = 'pg_dump --schema-only' | 'catalog digest';

/**
 * pg_dump --schema-only where a pg_dump of the server's major version exists (PostgreSQL 15 here);
 * otherwise (embedded PostgreSQL 17 ships no pg_dump) a catalog digest covering the same objects:
 * relations and their ACL/RLS/replica identity, column ACLs, indexes, policies, publications with
 * column lists, row filters and options, functions, triggers, schema and default ACLs, plus the
 * comments pg_dump would print. Roles are left out of the digest: they are cluster-wide and other
 * test files create theirs concurrently.
 */
export async function digestKind(db: TestDb): Promise<DigestKind> {
  const [{ v }] = await db.query<{ v: string }>(`select current_setting('server_version_num') as v`);
  return Math.floor(Number(v) / 10000) === 15 && existsSync(PG_DUMP_15) ? 'pg_dump --schema-only' : 'catalog digest';
}

export async function schemaDigest(db: TestDb, kind: DigestKind): Promise<string> {
  if (kind === 'pg_dump --schema-only') {
    const dump = execFileSync(PG_DUMP_15, ['--schema-only', '--dbname', db.url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // pg_dump 15.14+ brackets the dump with \restrict / \unrestrict and a random key (CVE-2025-8714).
    return dump.split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n');
  }
  const { roles: _cluster, ...catalog } = await fullCatalog(db);
  const comments = await db.query(`select classoid::regclass::text as catalog, objsubid, description,
      coalesce((select pubname from pg_publication where oid = d.objoid), (select relname from pg_class where oid = d.objoid),
               (select polname from pg_policy where oid = d.objoid), (select proname from pg_proc where oid = d.objoid)) as object
    from pg_description d where d.classoid in ('pg_publication'::regclass, 'pg_class'::regclass, 'pg_policy'::regclass, 'pg_proc'::regclass)
      and d.objoid >= 16384 order by 1, 4, 2`);
  return JSON.stringify({ ...catalog, comments }, null, 1);
}
