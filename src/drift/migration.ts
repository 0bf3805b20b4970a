import type { CatalogSnapshot, FunctionInfo, TableInfo } from '../db/catalog.js';
import type { Plan, Step } from '../fixes/plan.js';
import { entrySql, withOptions } from '../fixes/publication.js';
import { ident, listSettingSql, qualifiedName } from '../fixes/sqltext.js';
import { functionKey, searchPathOf, type Difference } from './compare.js';

/** Definitions of objects only the live database has, read there (pg_get_functiondef / pg_get_triggerdef). */
export interface LiveDefinitions {
  functions: Record<string, string>;
  /** "schema.table:trigger" → CREATE TRIGGER … */
  triggers: Record<string, string>;
}

/**
 * The drift as a fix plan: steps whose SQL, run after the existing migrations, makes the migrations build
 * what the live database has, for the objects drift compares. It is a Plan so that the fix commands'
 * renderers print it and write it as a Supabase migration (src/fixes/render.ts, src/fixes/files.ts).
 */
export function planDriftMigration(diffs: Difference[], live: CatalogSnapshot, shadow: CatalogSnapshot, defs: LiveDefinitions): Plan {
  const plan: Plan = { command: 'drift', steps: [], decisions: [], refusals: [], notes: [] };
  // realtime.messages carries the same RLS, policy and privilege fields as a guide table.
  const tablesOf = (snap: CatalogSnapshot) => [...snap.tables, ...(snap.realtimeMessages ? [snap.realtimeMessages as TableInfo] : [])];
  const liveTable = (key: string) => tablesOf(live).find((t) => `${t.schema}.${t.name}` === key);
  const shadowTable = (key: string) => tablesOf(shadow).find((t) => `${t.schema}.${t.name}` === key);
  const add = (id: string, title: string, d: Difference, sql: string[]) =>
    plan.steps.push({ id, title, reasons: [d.message], sql, undo: [], repairs: [] } satisfies Step);
  const pubName = live.publication?.name ?? shadow.publication?.name;
  const pub = pubName ? ident(pubName) : '';

  for (const d of diffs) {
    const key = /^(?:table|replica identity of|privileges of \S+ on|policy \S+ on|trigger \S+ on) (\S+)/.exec(d.object)?.[1] ?? '';
    const lt = liveTable(key);
    const st = shadowTable(key);
    switch (d.kind) {
      case 'publication': {
        const p = live.publication;
        if (!p) add(`drift:${d.object}`, `Drop ${d.object}`, d, [`DROP PUBLICATION IF EXISTS ${pub}`]);
        else if (p.allTables || shadow.publication?.allTables || !shadow.publication) {
          const tables = live.tables.filter((t) => t.published);
          const body = p.allTables ? 'FOR ALL TABLES' : tables.length ? `FOR TABLE ${tables.map((t) => entrySql(entryOf(t))).join(', ')}` : '';
          add('drift:recreate-publication', `Create ${d.object} as live has it`, d, [`DROP PUBLICATION IF EXISTS ${pub}`, `CREATE PUBLICATION ${pub} ${body} ${withOptions(p)}`.replace(/\s+/g, ' ')]);
        } else add(`drift:${d.object}`, `Set the publish options of ${d.object}`, d, [`ALTER PUBLICATION ${pub} SET (${withOptions(p).replace(/^WITH \((.*)\)$/, '$1')})`]);
        break;
      }
      case 'publication-table': {
        // A publication re-created above already has live's tables.
        if (plan.steps.some((s) => s.id === 'drift:recreate-publication')) break;
        const name = qualifiedName(...splitKey(key));
        const sql: string[] = [];
        if (st?.published) sql.push(`ALTER PUBLICATION ${pub} DROP TABLE ${name}`);
        if (lt?.published) sql.push(`ALTER PUBLICATION ${pub} ADD TABLE ${entrySql(entryOf(lt))}`);
        add(`drift:${d.object}`, lt?.published ? `Publish ${key} as live does` : `Stop publishing ${key}`, d, sql);
        break;
      }
      case 'replica-identity':
        if (lt) add(`drift:${d.object}`, `Set the ${d.object}`, d, [`ALTER TABLE ${qualifiedName(lt.schema, lt.name)} REPLICA IDENTITY ${lt.replicaIdentity === 'i' ? `USING INDEX ${ident(lt.replicaIdentityIndex?.name ?? '')}` : { d: 'DEFAULT', n: 'NOTHING', f: 'FULL' }[lt.replicaIdentity]}`]);
        break;
      case 'rls':
        if (!lt || !st) {
          plan.decisions.push({ object: d.object, detail: `${d.message}: the table itself differs; write its migration by hand (supabase db diff)`, leaves: [] });
          break;
        }
        add(`drift:${d.object}:rls`, `Row level security on ${key} as live has it`, d, [
          `ALTER TABLE ${qualifiedName(lt.schema, lt.name)} ${lt.rlsEnabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`,
          `ALTER TABLE ${qualifiedName(lt.schema, lt.name)} ${lt.rlsForced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`,
        ]);
        break;
      case 'policy': {
        const name = /^policy (\S+) on/.exec(d.object)![1]!;
        const on = `ON ${qualifiedName(...splitKey(key))}`;
        const p = lt?.policies.find((x) => x.name === name);
        const sql = [`DROP POLICY IF EXISTS ${ident(name)} ${on}`];
        if (p) {
          sql.push(`CREATE POLICY ${ident(name)} ${on} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command} TO ${p.roles.map((r) => (r === 'public' ? 'PUBLIC' : ident(r))).join(', ')}` +
            `${p.using !== null ? ` USING (${p.using})` : ''}${p.check !== null ? ` WITH CHECK (${p.check})` : ''}`);
        }
        add(`drift:${d.object}`, p ? `Policy ${name} on ${key} as live has it` : `Drop policy ${name} on ${key}`, d, sql);
        break;
      }
      case 'privilege': {
        if (!lt || !st) break;
        const role = /^privileges of (\S+) on/.exec(d.object)![1]!;
        const has = (t: TableInfo) => new Set(t.privileges.filter((p) => p.role === role && p.granted).map((p) => p.privilege));
        const a = has(lt);
        const b = has(st);
        const name = qualifiedName(lt.schema, lt.name);
        const grant = [...a].filter((p) => !b.has(p));
        const revoke = [...b].filter((p) => !a.has(p));
        const sql = [
          ...(grant.length ? [`GRANT ${grant.join(', ')} ON ${name} TO ${ident(role)}`] : []),
          ...(revoke.length ? [`REVOKE ${revoke.join(', ')} ON ${name} FROM ${ident(role)}`] : []),
        ];
        add(`drift:${d.object}`, `Privileges of ${role} on ${key} as live has them`, d, sql);
        if (revoke.length) plan.notes.push(`REVOKE removes direct grants only: if ${role} gets ${revoke.join(', ')} on ${key} through PUBLIC or a role it is a member of, drift will still report it.`);
        break;
      }
      case 'function': {
        const key = d.object.replace(/^function /, '');
        const f = live.functions.find((x) => functionKey(x) === key);
        const s = shadow.functions.find((x) => functionKey(x) === key);
        if (!f && s) add(`drift:${d.object}`, `Drop ${d.object}`, d, [`DROP FUNCTION IF EXISTS ${signature(s)}`]);
        else if (f && !s) {
          const def = defs.functions[key];
          if (def) add(`drift:${d.object}`, `Create ${d.object} as live has it`, d, [def.trim().replace(/;\s*$/, '')]);
          else plan.decisions.push({ object: d.object, detail: 'exists only live and its definition could not be read: add it to a migration by hand', leaves: [] });
        } else if (f) add(`drift:${d.object}`, `${d.object}: security and search_path as live has them`, d, [alterFunction(f)]);
        break;
      }
      case 'trigger': {
        const name = /^trigger (\S+) on/.exec(d.object)![1]!;
        const t = lt?.triggers.find((x) => x.name === name);
        const s = st?.triggers.find((x) => x.name === name);
        const table = qualifiedName(...splitKey(key));
        if (!t) add(`drift:${d.object}`, `Drop ${d.object}`, d, [`DROP TRIGGER IF EXISTS ${ident(name)} ON ${table}`]);
        else {
          const def = defs.triggers[`${key}:${name}`];
          const state = { O: 'ENABLE', D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[t.enabled];
          const sameBody = s && s.functionSchema === t.functionSchema && s.functionName === t.functionName;
          if (sameBody) add(`drift:${d.object}`, `${d.object}: ${state.toLowerCase()} as live has it`, d, [`ALTER TABLE ${table} ${state} TRIGGER ${ident(name)}`]);
          else if (def) add(`drift:${d.object}`, `${d.object} as live has it`, d, [`DROP TRIGGER IF EXISTS ${ident(name)} ON ${table}`, def, ...(t.enabled === 'O' ? [] : [`ALTER TABLE ${table} ${state} TRIGGER ${ident(name)}`])]);
          else plan.decisions.push({ object: d.object, detail: 'its definition could not be read live: add it to a migration by hand', leaves: [] });
        }
        break;
      }
    }
  }
  return plan;
}

function entryOf(t: TableInfo) {
  return { table: t, columns: t.hasColumnList ? t.columns.filter((c) => c.published).map((c) => c.name) : null, rowFilter: t.rowFilter };
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('.');
  return [key.slice(0, i), key.slice(i + 1)];
}

function signature(f: FunctionInfo): string {
  return `${qualifiedName(f.schema, f.name)}(${f.arguments})`;
}

function alterFunction(f: FunctionInfo): string {
  const sp = searchPathOf(f);
  return `ALTER FUNCTION ${signature(f)} SECURITY ${f.securityDefiner ? 'DEFINER' : 'INVOKER'} ${sp === null ? 'RESET search_path' : `SET search_path = ${listSettingSql(sp)}`}`;
}
