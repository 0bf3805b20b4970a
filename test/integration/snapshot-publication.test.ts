import { describe, expect, it } from 'vitest';
import { createDatabase } from '../support/db.js';
import { seededRandom as rng } from '../support/random.js';

// The snapshot sends the guide's tables as objects and every other published table as a positional array
// (sql/snapshot.sql, src/db/snapshot.ts). On generated publications — tables in two schemas sorting
// around the guide's, column lists, row filters, every replica identity, typmods, domains, generated and
// dropped columns — what the loader rebuilds must be what Postgres's own pg_publication_tables view and
// catalogs say, in (schema, name) order.
const TYPES = ['int', 'text', 'jsonb', 'varchar(20)', 'numeric(5,2)', 'text[]', 'payload', 'timestamptz'];

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const sql = ['create schema if not exists aaa', 'create schema if not exists zzz', 'create domain payload as jsonb'];
  for (let i = 0; i < 10; i++) {
    const table = `${pick(['aaa', 'public', 'zzz'])}.${pick(['a', 'm', 'z'])}${i}`;
    const cols = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, k) => `c${k} ${pick(TYPES)}`);
    if (r() < 0.3) cols.push('g int generated always as (1) stored');
    sql.push(`create table ${table} (id int ${r() < 0.8 ? 'primary key' : 'not null'}, ${cols.join(', ')}, gone int)`);
    sql.push(`alter table ${table} drop column gone`);
    const identity = r();
    if (identity < 0.15) sql.push(`alter table ${table} replica identity full`);
    else if (identity < 0.25) sql.push(`create unique index ${table.replace('.', '_')}_ri on ${table} (id)`, `alter table ${table} replica identity using index ${table.replace('.', '_')}_ri`);
    if (r() < 0.7) {
      const list = r() < 0.4 ? ` (id, c0)` : '';
      const where = r() < 0.3 ? ' where (id > 3)' : '';
      // A column list with REPLICA IDENTITY FULL is allowed to exist (UPDATE/DELETE then fail): keep it.
      sql.push(`alter publication supabase_realtime add table ${table}${list}${where}`);
    }
  }
  return sql.join(';\n');
}

describe('snapshot of a publication', () => {
  it('rebuilds every published table as the catalog describes it, in (schema, name) order', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const db = await createDatabase('healthy', generate(seed));
      try {
        const snap = await db.snapshot();
        const want = await db.query<{ schema: string; name: string; published: boolean; attnames: string[] | null; rowfilter: string | null; relreplident: string; guide: boolean; hascolumnlist: boolean | null }>(`
          select n.nspname as schema, c.relname as name, pt.pubname is not null as published, pt.attnames::text[] as attnames, pt.rowfilter,
                 c.relreplident, (n.nspname = 'public' and c.relname in ('conversations', 'messages', 'realtime_conversations')) as guide,
                 pr.prattrs is not null as hascolumnlist
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          left join pg_publication_tables pt on pt.pubname = 'supabase_realtime' and pt.schemaname = n.nspname and pt.tablename = c.relname
          left join pg_publication_rel pr on pr.prrelid = c.oid
          where pt.pubname is not null or (n.nspname = 'public' and c.relname in ('conversations', 'messages', 'realtime_conversations'))
          order by n.nspname, c.relname`);
        expect(snap.tables.map((t) => `${t.schema}.${t.name}`), `seed ${seed}`).toEqual(want.map((w) => `${w.schema}.${w.name}`));
        for (const t of snap.tables.filter((x) => x.isGuideTable)) expect(t.acl === null || Array.isArray(t.acl), `seed ${seed} ${t.name} acl`).toBe(true);
        for (const [i, t] of snap.tables.entries()) {
          const w = want[i]!;
          const where = `seed ${seed} ${t.schema}.${t.name}`;
          expect({ published: t.published, guide: t.isGuideTable, identity: t.replicaIdentity, rowFilter: t.rowFilter }, where)
            .toEqual({ published: w.published, guide: w.guide, identity: w.relreplident, rowFilter: w.rowfilter });
          if (!w.published) continue;
          expect(t.hasColumnList, where).toBe(w.hascolumnlist);
          const types = await db.query<{ attname: string; type: string; generated: boolean }>(
            `select attname, format_type(atttypid, atttypmod) as type, attgenerated <> '' as generated from pg_attribute
             where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`, [`${t.schema}.${t.name}`]);
          expect(t.columns.map((c) => ({ attname: c.name, type: c.type, generated: c.generated })), where).toEqual(types);
          // Without a column list the view also names generated columns (15–17), which logical replication
          // does not send before PostgreSQL 18's publish_generated_columns; the snapshot leaves them out.
          const generated = new Set(types.filter((c) => c.generated).map((c) => c.attname));
          const sent = w.hascolumnlist ? w.attnames! : w.attnames!.filter((n) => !generated.has(n));
          expect(t.columns.filter((c) => c.published).map((c) => c.name).sort(), where).toEqual([...sent].sort());
          for (const c of t.columns.filter((c) => c.type === 'payload')) expect([c.isDomain, c.baseName], where).toEqual([true, 'jsonb']);
          // Privileges are read for the guide's tables only (fix-permissions restores their ACL exactly).
          if (!t.isGuideTable) expect([t.policies, t.privileges, t.triggers, 'acl' in t], where).toEqual([[], [], [], false]);
          if (t.replicaIdentity === 'd' && t.primaryKey) expect(t.primaryKey, where).toEqual(['id']);
          if (t.replicaIdentity === 'i') expect(t.replicaIdentityIndex?.columns, where).toEqual(['id']);
        }
      } finally {
        await db.drop();
      }
    }
  });
});
