import { readFileSync } from 'node:fs';
import type { ClientBase } from 'pg';
import { UsageError } from '../errors.js';
import type { MigrationFile } from './files.js';
import { lineCol, splitStatements, type Statement } from './split.js';

/** A migration that did not apply: where, which statement, and what Postgres said. Exit 2 (could not run). */
export class MigrationError extends UsageError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly statement: string,
    readonly pgMessage: string,
    readonly sqlstate: string | undefined,
    readonly extension?: string,
    notes: string[] = [],
  ) {
    const head = extension
      ? `${file}:${line}:${col}: the migration needs the extension "${extension}", which plain PostgreSQL does not ship (Supabase installs it): ` +
        `rerun with --shadow container (Supabase's own supabase/postgres image, needs Docker) or --shadow-url a server that has it.`
      : `${file}:${line}:${col}: ${pgMessage}${sqlstate ? ` (SQLSTATE ${sqlstate})` : ''}`;
    const shown = statement.length > 600 ? `${statement.slice(0, 600)}…` : statement;
    super([head, ...shown.split('\n').map((l) => `  | ${l}`), ...(extension ? [`  Postgres said: ${pgMessage}`] : []), ...notes.map((n) => `  note: ${n}`), `  ${file} was rolled back; later migrations were not applied.`].join('\n'));
  }
}

export interface ApplyOptions {
  /** Step over CREATE EXTENSION of an extension this server does not have (see README: what that risks). */
  skipMissingExtensions?: boolean;
}

export interface ApplyResult {
  files: number;
  statements: number;
  /** CREATE EXTENSION statements stepped over, as FILE:LINE extension. */
  steppedOver: { at: string; extension: string }[];
}

/** Postgres 15+: 'extension "x" is not available'; older: 'could not open extension control file ".../x.control"'. */
export function missingExtension(message: string): string | undefined {
  return /extension "([^"]+)" is not available/.exec(message)?.[1] ?? /could not open extension control file "[^"]*\/([^/"]+)\.control"/.exec(message)?.[1];
}

/**
 * Applies each file the way the Supabase CLI does: its statements in order, the whole file in one
 * transaction (the CLI sends them as one pgx batch, which is implicitly transactional), files in order.
 * Statements go one at a time so an error names its statement and the position maps to FILE:LINE:COL.
 */
export async function applyMigrations(client: ClientBase, files: { file: string; label?: string }[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  const result: ApplyResult = { files: 0, statements: 0, steppedOver: [] };
  for (const f of files) {
    const text = readFileSync(f.file, 'utf8');
    const statements = splitStatements(text);
    await client.query('BEGIN');
    try {
      for (const st of statements) {
        await runStatement(client, f.file, text, st, opts, result);
        result.statements++;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
    result.files++;
  }
  return result;
}

async function runStatement(client: ClientBase, file: string, text: string, st: Statement, opts: ApplyOptions, result: ApplyResult): Promise<void> {
  const createsExtension = /^\s*create\s+extension\b/i.test(stripLeadingComments(st.sql));
  const guarded = createsExtension && opts.skipMissingExtensions;
  if (guarded) await client.query('SAVEPOINT campfire_extension');
  try {
    await client.query(st.sql);
    if (guarded) await client.query('RELEASE SAVEPOINT campfire_extension');
  } catch (err) {
    const e = err as { message?: string; code?: string; position?: string; internalPosition?: string; where?: string };
    const message = String(e.message ?? err);
    const ext = missingExtension(message);
    const at = errorOffset(st, e);
    const { line, col } = lineCol(text, at);
    if (guarded && ext) {
      await client.query('ROLLBACK TO SAVEPOINT campfire_extension');
      result.steppedOver.push({ at: `${file}:${line}`, extension: ext });
      return;
    }
    const notes = result.steppedOver.length
      ? [`stepped over earlier (--skip-missing-extensions): ${result.steppedOver.map((s) => `${s.extension} at ${s.at}`).join(', ')}; this failure may follow from it`]
      : [];
    throw new MigrationError(file, line, col, st.sql, message, e.code, ext, notes);
  }
}

/**
 * Where in the file the error is. Postgres gives `position` (1-based, in characters, into the statement we
 * sent) for parse and analysis errors; for an error inside a DO block or function body it gives the
 * PL/pgSQL line in `where` ("… line 3 at SQL statement"), counted from the start of the dollar-quoted body.
 * Without either, the statement's first character.
 */
function errorOffset(st: Statement, e: { position?: string; where?: string }): number {
  const pos = Number(e.position);
  if (Number.isInteger(pos) && pos > 0) return st.offset + pos - 1;
  const plLine = /PL\/pgSQL function [^\n]* line (\d+)/.exec(e.where ?? '')?.[1];
  const body = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(st.sql);
  if (plLine && body) {
    let at = body.index + body[0].length;
    for (let n = 1; n < Number(plLine); n++) {
      const nl = st.sql.indexOf('\n', at);
      if (nl < 0) break;
      at = nl + 1;
    }
    // Point at the first non-blank character of that line.
    while (st.sql[at] === ' ' || st.sql[at] === '\t') at++;
    return st.offset + at;
  }
  return st.offset + (st.sql.length - stripLeadingComments(st.sql).length);
}

function stripLeadingComments(sql: string): string {
  let s = sql;
  for (;;) {
    const t = s.trimStart();
    if (t.startsWith('--')) s = t.slice(t.indexOf('\n') < 0 ? t.length : t.indexOf('\n') + 1);
    else if (t.startsWith('/*')) s = t.slice(t.indexOf('*/') < 0 ? t.length : t.indexOf('*/') + 2);
    else return t;
  }
}
