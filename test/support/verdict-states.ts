/**
 * A seeded generator of database states over what the database checks read: policy kind, roles,
 * commands and expressions (none, true-like, false-like, predicates that admit the widget's rows),
 * table and column grants, RLS off/on/forced, the sync function's security and search_path, and the
 * sync trigger's timing and events. Each state is plain SQL applied on top of the `schema` fixture,
 * inside a transaction the differential test always rolls back.
 *
 * Predicates that reject the widget's own rows are not generated: whether a row passes depends on its
 * data, which no catalog check can know (the probe's rows carry the marked organization, and every
 * "real" predicate here admits them).
 */
import { seededRandom } from './random.js';

export interface StateRoles {
  /** Plays anon: INHERIT, member of `group`. */
  anon: string;
  /** Plays authenticated: NOINHERIT, member of `group` (policies TO group do not apply to it). */
  authenticated: string;
  group: string;
}

export type Family = 'rc-policies' | 'grants' | 'sync' | 'table-policies';
export const FAMILIES: Family[] = ['rc-policies', 'grants', 'sync', 'table-policies'];

export interface GeneratedState {
  seed: number;
  family: Family;
  /** The sync function is SECURITY DEFINER (owner: the superuser that loads fixtures). */
  definer: boolean;
  triggerNormal: boolean;
  /** The sync function's SET search_path, or null when it has none. */
  searchPath: string | null;
  sql: string;
}

const TABLES = ['conversations', 'messages', 'realtime_conversations'] as const;
type Table = (typeof TABLES)[number];

export const TRUE_LIKE = ['true', '(1 = 1)', "'t'::boolean", '(true or organization_id is null)', '(not false)'];
export const FALSE_LIKE = ['false', '(1 = 0)', 'null::boolean', '(false and organization_id is not null)'];
/** Both admit the probe's rows: it sets app.current_organization_id to the organization it writes. */
export const ADMITTING = [
  '(organization_id is not null)',
  "(organization_id::text = (select current_setting('app.current_organization_id', true)))",
  "(organization_id::text = current_setting('app.current_organization_id', true))",
];

const TRIGGERS = {
  normal: 'after insert or update on conversations for each row',
  insertOnly: 'after insert on conversations for each row',
  updateOnly: 'after update on conversations for each row',
  before: 'before insert or update on conversations for each row',
  statement: 'after insert or update on conversations for each statement',
} as const;
type TriggerKind = keyof typeof TRIGGERS | 'disabled';

const SEARCH_PATHS = [null, 'public', 'pg_temp, public', 'public, pg_temp', "''"] as const;

/** A state of the given family from one seed: the same seed always gives the same SQL. */
export function generateState(seed: number, family: Family, roles: StateRoles): GeneratedState {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const sql: string[] = [];
  const both = [roles.anon, roles.authenticated];
  const q = (r: string) => `"${r}"`;

  // Defaults every family starts from: service_role holds everything (the grants check asks for it).
  sql.push(`grant select, insert, update, delete on ${TABLES.join(', ')} to service_role;`);

  const grantAll = (table: Table) => sql.push(`grant select, insert, update, delete on ${table} to ${both.map(q).join(', ')};`);
  const policyRoles = () =>
    pick([[roles.anon], [roles.authenticated], both, ['public'], [roles.group], ['service_role'], [roles.anon, 'service_role']] as string[][]);
  const expr = () => {
    const kind = pick(['true', 'false', 'admit', 'admit', 'admit'] as const);
    return kind === 'true' ? pick(TRUE_LIKE) : kind === 'false' ? pick(FALSE_LIKE) : pick(ADMITTING);
  };
  /** 0–3 random policies on a table. */
  const randomPolicies = (table: Table, max: number) => {
    const n = Math.floor(rnd() * (max + 1));
    for (let i = 0; i < n; i++) {
      const command = pick(['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const);
      const restrictive = chance(0.2);
      const usingOk = command !== 'INSERT';
      const checkOk = command === 'ALL' || command === 'INSERT' || command === 'UPDATE';
      const using = usingOk && chance(0.75)? ` using (${expr()})` : '';
      const check = checkOk && chance(0.6)? ` with check (${expr()})` : '';
      sql.push(`create policy p${i}_${seed} on ${table} as ${restrictive ? 'restrictive' : 'permissive'} for ${command} to ${policyRoles().map((r) => (r === 'public' ? 'public' : q(r))).join(', ')}${using}${check};`);
    }
  };
  /**
   * The guide's shape (SELECT, INSERT and UPDATE policies, or one FOR ALL), each piece kept with
   * probability 0.8 and given random roles and expressions: states next to a working one, where one
   * missing or empty piece decides the verdict.
   */
  const guideShaped = (table: Table) => {
    if (chance(0.25)) {
      const using = chance(0.85) ? ` using (${expr()})` : '';
      const check = chance(0.5) ? ` with check (${expr()})` : '';
      sql.push(`create policy g_all_${seed} on ${table} for all to ${both.map(q).join(', ')}${using}${check};`);
      return;
    }
    for (const command of ['SELECT', 'INSERT', 'UPDATE'] as const) {
      if (!chance(0.8)) continue;
      const to = pick([both, both, ['public'], [roles.group], [roles.anon]] as string[][]).map((r) => (r === 'public' ? 'public' : q(r))).join(', ');
      const using = command !== 'INSERT' && chance(0.9) ? ` using (${expr()})` : '';
      const check = command !== 'SELECT' && chance(command === 'INSERT' ? 0.9 : 0.5) ? ` with check (${expr()})` : '';
      sql.push(`create policy g_${command.toLowerCase()}_${seed} on ${table} for ${command} to ${to}${using}${check};`);
    }
    if (chance(0.3)) randomPolicies(table, 1);
  };
  const rls = (table: Table, mode: 'off' | 'on' | 'forced') => {
    if (mode !== 'off') sql.push(`alter table ${table} enable row level security;`);
    if (mode === 'forced') sql.push(`alter table ${table} force row level security;`);
  };

  let definer = true;
  let trigger: TriggerKind = 'normal';
  let searchPath: string | null = null;
  switch (family) {
    case 'rc-policies':
      // Only realtime_conversations' row security varies; the sync function runs as the role.
      definer = false;
      TABLES.forEach(grantAll);
      rls('realtime_conversations', pick(['off', 'on', 'on', 'forced'] as const));
      if (chance(0.6)) guideShaped('realtime_conversations');
      else randomPolicies('realtime_conversations', 3);
      break;
    case 'grants': {
      definer = false;
      // Table grants everywhere, then 0–2 (table, role, privilege) changed to column grants on every
      // column, column grants on one column the probe does not use alone, or nothing.
      const how = new Map<string, 'table' | 'columns' | 'partial' | 'none'>();
      const changes = pick([0, 1, 1, 2]);
      for (let i = 0; i < changes; i++) {
        how.set(`${pick(TABLES)}|${pick(both)}|${pick(['SELECT', 'INSERT', 'UPDATE'])}`, pick(['columns', 'columns', 'partial', 'none'] as const));
      }
      for (const table of TABLES) {
        for (const role of both) {
          for (const priv of ['SELECT', 'INSERT', 'UPDATE'] as const) {
            const h = how.get(`${table}|${role}|${priv}`) ?? 'table';
            if (h === 'table') sql.push(`grant ${priv} on ${table} to ${q(role)};`);
            else if (h === 'columns') sql.push(`select campfire_grant_all_columns('${priv}', '${table}', '${role}');`);
            else if (h === 'partial') sql.push(`grant ${priv} (${table === 'messages' ? 'sender_email' : 'customer_email'}) on ${table} to ${q(role)};`);
          }
          // DELETE is not one of the guide's grants; the probe's delete steps are not compared.
          sql.push(`grant delete on ${table} to ${q(role)};`);
        }
      }
      break;
    }
    case 'sync':
      definer = chance(0.6);
      trigger = pick(['normal', 'normal', 'insertOnly', 'updateOnly', 'before', 'statement', 'disabled'] as const);
      TABLES.forEach(grantAll);
      {
        searchPath = pick(SEARCH_PATHS);
        if (searchPath !== null) sql.push(`alter function sync_realtime_conversations() set search_path = ${searchPath};`);
      }
      break;
    case 'table-policies':
      // Every table's row security varies; the sync function is SECURITY DEFINER (as the guide makes it).
      TABLES.forEach(grantAll);
      for (const table of TABLES) {
        rls(table, pick(['off', 'on', 'on', 'forced'] as const));
        if (chance(0.5)) guideShaped(table);
        else randomPolicies(table, 3);
        // An owner skips its table's row security unless it is forced; a role that inherits the owner
        // role does too, a NOINHERIT member does not.
        if (chance(0.2)) sql.push(`alter table ${table} owner to ${q(pick([roles.anon, roles.authenticated, roles.group]))};`);
      }
      break;
  }
  if (definer) sql.push('alter function sync_realtime_conversations() security definer;');
  if (trigger === 'disabled') sql.push('alter table conversations disable trigger sync_realtime_conversations_trigger;');
  else if (trigger !== 'normal') {
    sql.push(`drop trigger sync_realtime_conversations_trigger on conversations;
      create trigger sync_realtime_conversations_trigger ${TRIGGERS[trigger]} execute function sync_realtime_conversations();`);
  }
  return { seed, family, definer, triggerNormal: trigger === 'normal', searchPath, sql: sql.join('\n') };
}

/** Created once per test database: grants a privilege on every current column, as a person would by hand. */
export const GRANT_ALL_COLUMNS_SQL = `
create function campfire_grant_all_columns(priv text, tbl text, grantee text) returns void language plpgsql as $$
begin
  execute format('grant %s (%s) on %I to %I', priv,
    (select string_agg(quote_ident(attname), ', ' order by attnum) from pg_attribute
      where attrelid = tbl::regclass and attnum > 0 and not attisdropped), tbl, grantee);
end $$;`;
