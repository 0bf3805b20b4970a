import { seededRandom } from '../support/random.js';

/**
 * Seeded, reproducible catalog states around the guide's schema: extra roles with table or column
 * grants, anon/authenticated column grants, RLS off/on/forced, permissive and RESTRICTIVE policies on
 * settings the app sets or does not, replica identities (default, full, nothing, index), a DEFERRABLE
 * primary key, a partitioned table with a partition of its own replica identity, row filters, and a
 * FOR ALL TABLES publication with a COMMENT. Each state is SQL run as the superuser on a fixture copy.
 */
export interface GeneratedState {
  seed: number;
  base: 'broken' | 'healthy' | 'schema';
  /** One short label per mutation, for the failure message and the known-failure list. */
  features: string[];
  sql: string;
}

const TABLES = ['conversations', 'messages', 'realtime_conversations'] as const;
/**
 * The "other role holding grants": the Supabase baseline's authenticator (a plain role, neither owner nor
 * BYPASSRLS). No state creates a role: roles are cluster-wide and the drills compare pg_roles meanwhile.
 */
export const WRITER = 'authenticator';

export function generateState(seed: number): GeneratedState {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const base = pick(['broken', 'healthy', 'schema'] as const);
  const features: string[] = [];
  const sql: string[] = [];
  const add = (feature: string, ...statements: string[]) => {
    features.push(feature);
    sql.push(...statements);
  };

  if (chance(0.5)) {
    const t = pick(TABLES);
    sql.push(`grant usage on schema public to ${WRITER}`, `grant select on conversations to ${WRITER}`);
    if (chance(0.5)) add(`writer table grant on ${t}`, `grant select, insert, update on ${t} to ${WRITER}`);
    else if (t === 'messages') add('writer column grants on messages', `grant select (id), insert (conversation_id, organization_id, content, sender_type) on messages to ${WRITER}`);
    else add(`writer column grants on ${t}`, `grant select (id, organization_id), update (organization_id) on ${t} to ${WRITER}`);
  }
  if (chance(0.3)) {
    add('anon column grants on realtime_conversations', 'revoke insert, update on realtime_conversations from anon',
      'grant insert (id, organization_id, customer_name, customer_email, status, priority, updated_at), update (customer_name, status) on realtime_conversations to anon');
  }
  for (const t of TABLES) {
    const mode = r();
    if (mode < 0.2) add(`rls off on ${t}`, `alter table ${t} disable row level security`);
    else if (mode < 0.35) add(`rls on on ${t}`, `alter table ${t} enable row level security`);
    else if (mode < 0.45) add(`rls forced on ${t}`, `alter table ${t} enable row level security`, `alter table ${t} force row level security`);
  }
  const policies = Math.floor(r() * 3);
  for (let i = 0; i < policies; i++) {
    const t = pick(TABLES);
    const cmd = pick(['insert', 'select', 'update', 'all'] as const);
    const restrictive = chance(0.35);
    const to = pick(['anon', 'authenticated', 'anon, authenticated', 'public', WRITER]);
    if (to === WRITER && !sql.some((s) => s.includes(`to ${WRITER}`))) continue;
    const expr = pick(['true', "organization_id::text = current_setting('app.current_organization_id', true)", "current_setting('app.tenant', true) is not null", 'false', 'none']);
    const using = cmd === 'insert' || expr === 'none' ? '' : ` using (${expr})`;
    const check = cmd === 'select' || expr === 'none' ? '' : ` with check (${expr})`;
    add(`${restrictive ? 'restrictive' : 'permissive'} ${cmd} policy on ${t} to ${to} (${expr})`,
      `create policy prop_${i}_${seed} on ${t} as ${restrictive ? 'restrictive' : 'permissive'} for ${cmd} to ${to}${using}${check}`);
  }
  if (chance(0.3)) {
    const t = pick(TABLES);
    const ri = pick(['full', 'nothing', 'index'] as const);
    if (ri === 'index') add(`replica identity index on ${t}`, `create unique index prop_ri_${t} on ${t} (id)`, `alter table ${t} replica identity using index prop_ri_${t}`);
    else add(`replica identity ${ri} on ${t}`, `alter table ${t} replica identity ${ri}`);
  }
  if (chance(0.15)) {
    add('deferrable primary key on messages', 'alter table messages drop constraint messages_pkey',
      'alter table messages add constraint messages_pkey primary key (id) deferrable initially deferred');
  }
  if (chance(0.2)) {
    const viaRoot = chance(0.5);
    add(`partitioned table in the publication${viaRoot ? ' via root' : ''} with a FULL partition`,
      'create table prop_events (id int not null, kind text not null, payload text, primary key (id, kind)) partition by list (kind)',
      "create table prop_events_a partition of prop_events for values in ('a')",
      'create table prop_events_other partition of prop_events default',
      'alter table prop_events_a replica identity full',
      'alter publication supabase_realtime add table prop_events',
      ...(viaRoot ? ['alter publication supabase_realtime set (publish_via_partition_root = true)'] : []));
  }
  if (chance(0.15) && base !== 'healthy') {
    add('row filter on realtime_conversations outside its replica identity', "alter publication supabase_realtime add table realtime_conversations where (status <> 'closed')");
  }
  if (chance(0.12)) {
    add('FOR ALL TABLES publication with a comment', 'drop publication supabase_realtime', 'create publication supabase_realtime for all tables',
      "comment on publication supabase_realtime is 'campfire property test'");
  }
  return { seed, base, features, sql: sql.join(';\n') };
}
