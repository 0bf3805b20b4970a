import type { ClientBase } from 'pg';
import type { CampfireConfig } from '../config.js';
import { qualifiedName } from './quote.js';
import type { ProbeTable } from './types.js';

/** Read inside the probe's transaction, so it sees the catalog the probe acts on (apply's own steps included). */
export interface ProbeTargets {
  serverVersionNum: number;
  readOnly: string | null;
  sessionUser: string;
  tables: Record<'conversations' | 'messages' | 'realtimeConversations', ProbeTable & { oid: number | null; probeColumn: string | null; quoted: string }>;
  roles: { role: string; why: string; canSet: boolean; reason?: string }[];
}

const RELKIND: Record<string, string> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };

export async function readTargets(client: ClientBase, config: CampfireConfig, onlyRoles?: string[]): Promise<ProbeTargets> {
  const server = await client.query<{ v: string; rec: boolean; ro: string; su: string }>(
    `select current_setting('server_version_num') as v, pg_is_in_recovery() as rec,
            current_setting('transaction_read_only') as ro, session_user::text as su`,
  );
  const s = server.rows[0]!;
  const serverVersionNum = Number(s.v);
  const readOnly = s.rec
    ? 'the server is a standby (in recovery): it cannot run writes, even ones that are rolled back'
    : s.ro === 'on' ? 'the session is read-only (default_transaction_read_only or a read-only transaction): the probe needs to write, then roll back' : null;

  const keys = ['conversations', 'messages', 'realtimeConversations'] as const;
  const names = keys.map((k) => config.tables[k]);
  // Publication membership straight from pg_publication_rel / _namespace / puballtables: a partition
  // published through its root is still a table whose UPDATE and DELETE the publication governs.
  const { rows } = await client.query<{ key: string; oid: number | null; relkind: string | null; rls: boolean | null; published: boolean | null; pk: string | null }>(
    `select t.key, c.oid::int as oid, c.relkind::text as relkind, c.relrowsecurity as rls,
            exists (select 1 from pg_publication p
                     where p.pubname = $3
                       and (p.puballtables
                            or exists (select 1 from pg_publication_rel pr where pr.prpubid = p.oid
                                        and pr.prrelid in (select c.oid union all select inhparent from pg_inherits where inhrelid = c.oid))
                            or exists (select 1 from pg_publication_namespace pn where pn.pnpubid = p.oid and pn.pnnspid = c.relnamespace))) as published,
            (select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
              where i.indrelid = c.oid and i.indisprimary) as pk
       from unnest($1::text[], $2::text[]) as t(key, name)
       left join pg_class c on c.relname = t.name and c.relnamespace = (select oid from pg_namespace where nspname = $4)`,
    [keys, names, config.publication, config.schema],
  );
  const tables = {} as ProbeTargets['tables'];
  for (const r of rows) {
    const key = r.key as (typeof keys)[number];
    tables[key] = {
      table: `${config.schema}.${config.tables[key]}`,
      exists: r.oid !== null,
      kind: r.relkind ? RELKIND[r.relkind] ?? `relkind ${r.relkind}` : null,
      rlsEnabled: Boolean(r.rls),
      published: Boolean(r.published),
      oid: r.oid,
      probeColumn: r.pk,
      quoted: qualifiedName(config.schema, config.tables[key]),
    };
  }

  const oids = Object.values(tables).map((t) => t.oid).filter((o): o is number => o !== null);
  // Everyone holding a table or column privilege on a guide table (grantee 0 is PUBLIC: not a role one can
  // become). SET ROLE needs membership of the session user (PostgreSQL 16+: with the SET option).
  const setOption = serverVersionNum >= 160000 ? 'SET' : 'MEMBER';
  const granted = await client.query<{ role: string; tables: string[]; can_set: boolean; super: boolean }>(
    `with g as (
       select (aclexplode(coalesce(c.relacl, acldefault('r', c.relowner)))).grantee as grantee, c.relname::text as rel
         from pg_class c where c.oid = any($1::oid[])
       union
       select (aclexplode(a.attacl)).grantee, c.relname::text
         from pg_attribute a join pg_class c on c.oid = a.attrelid
        where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped and a.attacl is not null)
     select r.rolname::text as role, array_agg(distinct g.rel order by g.rel) as tables,
            pg_has_role(session_user, r.oid, '${setOption}') as can_set, r.rolsuper as super
       from g join pg_roles r on r.oid = g.grantee
      group by r.rolname, r.oid, r.rolsuper`,
    [oids],
  );
  const guideRoles = [config.roles.anon, config.roles.authenticated];
  const byName = new Map(granted.rows.map((r) => [r.role, r]));
  const extra = await client.query<{ role: string; can_set: boolean }>(
    `select r.rolname::text as role, pg_has_role(session_user, r.oid, '${setOption}') as can_set
       from pg_roles r where r.rolname = any($1::text[])`,
    [guideRoles],
  );
  const exists = new Map(extra.rows.map((r) => [r.role, r.can_set]));
  const wanted = onlyRoles ?? [...guideRoles, ...[...byName.keys()].filter((r) => !guideRoles.includes(r)).sort()];
  const roles: ProbeTargets['roles'] = [];
  for (const role of [...new Set(wanted)]) {
    const g = byName.get(role);
    const why = guideRoles.includes(role) ? 'the guide\'s API role' : g ? `holds privileges on ${g.tables.join(', ')}` : 'asked for';
    const canSet = g ? g.can_set : exists.get(role);
    if (canSet === undefined) roles.push({ role, why, canSet: false, reason: `role ${role} does not exist` });
    else if (!canSet) roles.push({ role, why, canSet: false, reason: `the connecting user ${s.su} cannot SET ROLE ${role} (not a member${serverVersionNum >= 160000 ? ' with the SET option' : ''})` });
    else roles.push({ role, why, canSet: true });
  }
  return { serverVersionNum, readOnly, sessionUser: s.su, tables, roles };
}

/** Columns a payload needs that the table lacks, and NOT NULL columns without a default the payload leaves empty. */
export async function payloadGaps(client: ClientBase, oid: number, payload: string[]): Promise<string | null> {
  const { rows } = await client.query<{ missing: string[]; unfilled: string[] }>(
    `select array(select p from unnest($2::text[]) p
                   where not exists (select 1 from pg_attribute a where a.attrelid = $1 and a.attname = p and a.attnum > 0 and not a.attisdropped)) as missing,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped and a.attnotnull and not a.atthasdef
                     and a.attidentity = '' and a.attgenerated = '' and a.attname <> all ($2::text[])
                   order by a.attnum) as unfilled`,
    [oid, payload],
  );
  const r = rows[0]!;
  if (r.missing.length) return `the table has no column ${r.missing.join(', ')} that the guide's payload fills`;
  if (r.unfilled.length) return `column ${r.unfilled.join(', ')} is NOT NULL without a default and the guide's payload does not fill it`;
  return null;
}
