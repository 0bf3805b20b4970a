import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export interface MigrationFile {
  /** Path as the user will read it (relative to the working directory when inside it). */
  file: string;
  version: string;
  name: string;
}

export interface MigrationFolder {
  dir: string;
  files: MigrationFile[];
  /** Files in the folder the Supabase CLI would not apply, with the reason it gives. */
  skipped: { file: string; why: string }[];
}

/** The Supabase CLI's migration file name: `<version>_<name>.sql`, the version all digits (supabase/cli pkg/migration/file.go). */
const MIGRATION = /^([0-9]+)_(.*)\.sql$/;
/** Before 20211209 the CLI wrote `<timestamp>_init.sql` first, and it still skips such a first file (pkg/migration/list.go). */
const OLD_INIT = /([0-9]{14})_init\.sql/;

/**
 * The files `supabase db reset` / `migration up` would apply, in the order it applies them: directory
 * entries sorted by name (Go's fs.ReadDir sorts by file name; the CLI does not sort by version number),
 * those matching `<version>_<name>.sql`, a pre-2021-12-09 `_init.sql` in first place skipped.
 */
export function listMigrations(dir: string, cwd = process.cwd()): MigrationFolder {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--migrations ${dir} is not a folder: give the folder that holds <version>_<name>.sql files (usually supabase/migrations).`);
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `--migrations ${dir} does not exist: give the folder that holds <version>_<name>.sql files (usually supabase/migrations).` : `--migrations ${dir} cannot be read (${code ?? String(err)}).`);
  }
  // Byte order, as Go sorts strings (not localeCompare).
  entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = (f: string) => displayPath(path.resolve(dir, f), cwd);
  const files: MigrationFile[] = [];
  const skipped: MigrationFolder['skipped'] = [];
  entries.forEach((f, i) => {
    const full = path.join(dir, f);
    let isFile = false;
    try {
      isFile = statSync(full).isFile();
    } catch {
      /* a dangling link: not a migration */
    }
    if (!isFile) return;
    const init = OLD_INIT.exec(f);
    if (i === 0 && init && Number(init[1]) < 20211209000000) {
      skipped.push({ file: shown(f), why: 'an old CLI\'s first "init" migration, which the CLI skips' });
      return;
    }
    const m = MIGRATION.exec(f);
    if (!m) {
      skipped.push({ file: shown(f), why: 'file name must match pattern "<timestamp>_name.sql"' });
      return;
    }
    files.push({ file: shown(f), version: m[1]!, name: m[2]! });
  });
  return { dir: displayPath(path.resolve(dir), cwd), files, skipped };
}

/** Relative to the working directory when inside it (what the user typed, usually), else absolute. */
export function displayPath(full: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, full);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
}
