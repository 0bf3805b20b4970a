import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { combinedUndoScript, migrationScript, undoScript } from '../../src/fixes/files.js';
import { forwardSql, undoSql, type Plan } from '../../src/fixes/plan.js';
import { ident, literal, qualifiedName } from '../../src/fixes/sqltext.js';
import { seededRandom } from '../support/random.js';

// Every SQL file campfire writes is parsed with the real PostgreSQL parser (libpg-query): whatever the
// names in it, the file holds exactly the plan's statements, so no name can smuggle SQL into a comment.

/** Characters that end or confuse a line, and SQL that would do harm if it escaped its comment. */
const HOSTILE = ['\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f', '\t', '\0', '\u001b[2J', '*/', '/*', '--', ';', "'", '"', '$$', '\\',
  'DROP TABLE messages CASCADE;', 'COMMIT;', 'é', '🔥'];

function hostileName(rand: () => number): string {
  let s = 'n';
  const parts = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < parts; i++) s += HOSTILE[Math.floor(rand() * HOSTILE.length)]! + (rand() < 0.5 ? 'x' : '');
  return s;
}

/** A plan like the planners write: names quoted inside statements, raw inside titles and reasons. */
function hostilePlan(rand: () => number): Plan {
  const [schema, table, role, pub] = [0, 1, 2, 3].map(() => hostileName(rand).replace(/\0/g, ''));
  const t = qualifiedName(schema!, table!);
  return {
    command: 'fix-permissions',
    steps: [
      { id: 'a', title: `Grant SELECT on ${schema}.${table} to ${role}`, reasons: [], repairs: [],
        sql: [`GRANT SELECT ON TABLE ${t} TO ${ident(role!)}`], undo: [`REVOKE SELECT ON TABLE ${t} FROM ${ident(role!)}`, `GRANT UPDATE (${ident(table!)}) ON TABLE ${t} TO ${ident(role!)}`] },
      { id: 'b', title: `Re-create publication ${pub}`, reasons: [], repairs: [],
        sql: [`DROP PUBLICATION ${ident(pub!)}`, `CREATE PUBLICATION ${ident(pub!)} FOR TABLE ${t} WHERE ((${ident(table!)} <> ${literal(role!)}))`, `COMMENT ON PUBLICATION ${ident(pub!)} IS ${literal(pub!)}`],
        undo: [`DROP PUBLICATION IF EXISTS ${ident(pub!)}`, `CREATE PUBLICATION ${ident(pub!)} FOR ALL TABLES`] },
    ],
    decisions: [], refusals: [], notes: [],
  };
}

/** Parse trees without source positions, which differ between a file and a statement parsed alone. */
function withoutLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLocations);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'location').map(([k, v]) => [k, withoutLocations(v)]));
  }
  return node;
}

async function statements(sql: string): Promise<unknown[]> {
  return ((await parse(sql)).stmts ?? []).map((s) => withoutLocations(s.stmt));
}

async function expected(list: string[]): Promise<unknown[]> {
  return (await Promise.all(list.map((s) => statements(`${s};`)))).flat();
}

describe('generated SQL files hold exactly the plan\'s statements, whatever the names', () => {
  // 20 seeds in the normal suite; CAMPFIRE_LONG_PROPERTY=1 runs 1,000.
  const seeds = Array.from({ length: process.env.CAMPFIRE_LONG_PROPERTY ? 1000 : 20 }, (_, i) => i + 1);
  it.each(seeds)('seed %i', async (seed) => {
    const rand = seededRandom(seed * 7919);
    const plan = hostilePlan(rand);
    const database = hostileName(rand);
    const migration = migrationScript(plan, database);
    expect(await statements(migration)).toEqual(await expected(forwardSql(plan)));
    const tx = [{ TransactionStmt: { kind: 'TRANS_STMT_BEGIN' } }, { TransactionStmt: { kind: 'TRANS_STMT_COMMIT' } }];
    const undo = await statements(undoScript(plan, database));
    expect(undo).toEqual([tx[0], ...(await expected(undoSql(plan))), tx[1]]);
    const combined = await statements(combinedUndoScript([plan, hostilePlan(rand)], database, hostileName(rand), hostileName(rand)));
    expect(combined.length).toBeGreaterThan(2);
    // The comment header (up to the first blank line) is all `--` lines, with no line terminator of any
    // kind (PostgreSQL's, or an editor's) inside them. (Statements may hold any character inside quotes.)
    const header = migration.slice(0, migration.indexOf('\n\n')).split('\n');
    for (const line of header) {
      expect(line.startsWith('-- ')).toBe(true);
      expect(line).not.toMatch(/[\r\u2028\u2029\u0085\u000b\u000c]/);
    }
  });
});
