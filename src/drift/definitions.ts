import type { CatalogSnapshot, FunctionInfo } from '../db/catalog.js';
import { connect, type ConnectOptions } from '../db/connect.js';
import type { DatabaseTarget } from '../db/url.js';
import { functionKey, type Difference } from './compare.js';
import type { LiveDefinitions } from './migration.js';

/**
 * The full definitions of functions and triggers that exist only live, for --write-migration: the catalog
 * snapshot holds their properties, not their bodies. Read-only, in its own READ ONLY transaction.
 */
export async function readLiveDefinitions(target: DatabaseTarget, live: CatalogSnapshot, diffs: Difference[], opts: ConnectOptions): Promise<LiveDefinitions> {
  const defs: LiveDefinitions = { functions: {}, triggers: {} };
  const fnKeys = diffs.filter((d) => d.kind === 'function' && d.migrations === null).map((d) => d.object.replace(/^function /, ''));
  const trig = diffs.filter((d) => d.kind === 'trigger' && d.live !== null).map((d) => /^trigger (\S+) on (\S+)$/.exec(d.object)).filter((m) => m !== null);
  if (!fnKeys.length && !trig.length) return defs;
  const client = await connect(target, opts);
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    for (const key of fnKeys) {
      const f = live.functions.find((x) => functionKey(x) === key);
      if (!f) continue;
      const { rows } = await client.query<{ def: string }>(
        `select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = $1 and p.proname = $2 and pg_get_function_identity_arguments(p.oid) = $3`,
        [f.schema, f.name, f.arguments],
      );
      if (rows[0]) defs.functions[key] = rows[0].def;
    }
    for (const m of trig) {
      const [, name, table] = m;
      const { rows } = await client.query<{ def: string }>(
        `select pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
          where n.nspname || '.' || c.relname = $1 and t.tgname = $2`,
        [table, name],
      );
      if (rows[0]) defs.triggers[`${table}:${name}`] = rows[0].def;
    }
    await client.query('ROLLBACK');
  } finally {
    await client.end().catch(() => {});
  }
  return defs;
}

/**
 * The snapshot reads the guide's functions and the SECURITY DEFINER ones: a function that is DEFINER on one
 * side and INVOKER on the other is in only one snapshot. Before comparing, each side gets the functions the
 * other side has, read from its own catalog when they exist there, so such a function shows as "SECURITY
 * INVOKER" rather than "missing" (and --write-migration alters it instead of dropping it).
 */
export async function completeFunctions(target: DatabaseTarget, snap: CatalogSnapshot, other: CatalogSnapshot, opts: ConnectOptions): Promise<void> {
  const have = new Set(snap.functions.map(functionKey));
  const wanted = other.functions.filter((f) => !have.has(functionKey(f)));
  if (!wanted.length) return;
  const client = await connect(target, opts);
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    for (const f of wanted) {
      const { rows } = await client.query<FunctionInfo>(
        `select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as arguments,
                format_type(p.prorettype, null) as returns, l.lanname as language, pg_get_userbyid(p.proowner) as owner,
                p.prosecdef as "securityDefiner", p.proconfig as config
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
          where n.nspname = $1 and p.proname = $2 and pg_get_function_identity_arguments(p.oid) = $3`,
        [f.schema, f.name, f.arguments],
      );
      if (rows[0]) snap.functions.push(rows[0]);
    }
    await client.query('ROLLBACK');
  } finally {
    await client.end().catch(() => {});
  }
}
