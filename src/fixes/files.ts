import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VERSION } from '../version.js';
import { forwardSql, undoSql, type Plan } from './plan.js';
import { UNDO_PASSWORD_NOTE, undoCommand } from './undo-command.js';
import { sqlComment } from './comment.js';

/** 20261125231500: the Supabase CLI's migration version format, in UTC. */
export function utcStamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function defaultUndoPath(cwd: string, command: string, d = new Date()): string {
  return path.join(cwd, '.campfire', 'undo', `${utcStamp(d)}-${command}.sql`);
}

export function migrationPath(dir: string, command: string, d = new Date()): string {
  return path.join(dir, `${utcStamp(d)}_campfire_${command.replace(/-/g, '_')}.sql`);
}

function header(plans: Plan[], what: string, database: string, command = plans.map((p) => p.command).join(' + ')): string {
  // Titles and the database name carry catalog and configured names: every line goes through sqlComment,
  // so no name can end the comment and smuggle SQL into the file.
  return [
    sqlComment(what),
    sqlComment(`Written by campfire ${VERSION} (${command}) for ${database} at ${new Date().toISOString()}.`),
    ...plans.flatMap((p) => p.steps).map((s, i) => sqlComment(`  ${i + 1}. ${s.title}`)),
    '',
  ].join('\n');
}

/** The undo script: the steps' undo SQL in reverse order, in one transaction, so it applies whole or not at all. */
export function undoScript(plan: Plan, database: string): string {
  return combinedUndoScript([plan], database, 'this apply');
}

/**
 * One undo script for plans applied one after another (recover): the last plan's undo first. Every undo
 * statement holds whether or not its step ran, so the script restores the earlier state after any prefix.
 */
export function combinedUndoScript(plans: Plan[], database: string, what: string, command?: string): string {
  return [
    header(plans, `Undo script: restores the catalog as it was before ${what}. Run: ${undoCommand('THIS_FILE', database)} (${UNDO_PASSWORD_NOTE})`, database, command),
    'BEGIN;',
    ...[...plans].reverse().flatMap(undoSql).map((s) => `${s};`),
    'COMMIT;',
    '',
  ].join('\n');
}

/** A Supabase CLI migration: the forward SQL (the CLI runs each migration in its own transaction). */
export function migrationScript(plan: Plan, database: string): string {
  return [header([plan], 'Supabase migration generated from the plan campfire computed for this database.', database), ...forwardSql(plan).map((s) => `${s};`), ''].join('\n');
}

export async function writeNew(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // wx: never overwrite an earlier undo script or migration.
  await writeFile(file, text, { flag: 'wx' });
}

export async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true });
}
