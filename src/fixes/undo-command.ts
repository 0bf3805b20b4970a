/**
 * The command that runs an undo script against the database it was written for. A bare
 * `psql -f FILE` connects to psql's default database (PGDATABASE, else the OS user's), not necessarily the
 * one campfire changed; so the command names the database by its URL, without the password, which psql
 * then takes from PGPASSWORD or ~/.pgpass.
 */
import { shellQuote } from '../report/next-steps.js';

export function undoCommand(file: string, database: string): string {
  return `psql ${shellQuote(database)} -v ON_ERROR_STOP=1 -f ${shellQuote(file)}`;
}

export const UNDO_PASSWORD_NOTE = 'psql takes the password from PGPASSWORD or ~/.pgpass: campfire never prints it.';
