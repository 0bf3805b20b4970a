import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingExtension } from '../../src/shadow/apply.js';
import { listMigrations } from '../../src/shadow/files.js';
import { lineCol, splitStatements } from '../../src/shadow/split.js';
import { seededRandom } from '../support/random.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-shadow-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splitStatements: what the Supabase CLI sends one by one', () => {
  it('splits on ; outside quotes, comments and dollar-quoted bodies, keeping offsets', () => {
    const text = [
      "create table t (a text default 'x;y');",
      '-- a comment; with a semicolon',
      'create function f() returns int language plpgsql as $body$ begin return 1; end $body$;',
      '/* block; /* nested; */ still; */ select "we;ird" from t;',
      "select E'it\\'s;' as s;",
      'do $$ begin perform 1; end $$',
    ].join('\n');
    const st = splitStatements(text);
    expect(st.map((s) => s.sql.replace(/\s+/g, ' '))).toEqual([
      "create table t (a text default 'x;y')",
      '-- a comment; with a semicolon create function f() returns int language plpgsql as $body$ begin return 1; end $body$',
      '/* block; /* nested; */ still; */ select "we;ird" from t',
      "select E'it\\'s;' as s",
      'do $$ begin perform 1; end $$',
    ]);
    for (const s of st) expect(text.slice(s.offset, s.offset + s.sql.length)).toBe(s.sql);
  });

  it('keeps BEGIN ATOMIC … END function bodies whole', () => {
    const st = splitStatements('create function g() returns int language sql begin atomic select 1; select case when true then 2 end; end;\nselect 3;');
    expect(st.map((s) => s.sql)).toEqual(['create function g() returns int language sql begin atomic select 1; select case when true then 2 end; end', 'select 3']);
  });

  it('drops comment-only and empty pieces', () => {
    expect(splitStatements(';;\n-- only a comment\n/* and this */\n')).toEqual([]);
  });

  it('generated: statements joined with ; split back into the same statements (seeded)', () => {
    const pieces = ["select 'a;b'", 'select $$x;y$$', 'select "c;d"', 'select 1 /* ; */', 'select $t$ $$ ; $t$', 'create table x (a int)', "select E'\\';'", 'select 1 -- ;\n+ 2'];
    const runs = process.env.CAMPFIRE_LONG_PROPERTY ? 20_000 : 300;
    for (let seed = 1; seed <= runs; seed++) {
      const rnd = seededRandom(seed);
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => pieces[Math.floor(rnd() * pieces.length)]!);
      expect(splitStatements(parts.join(';\n')).map((s) => s.sql), `seed ${seed}`).toEqual(parts);
    }
  });

  it('lineCol is 1-based', () => {
    expect(lineCol('ab\ncd', 0)).toEqual({ line: 1, col: 1 });
    expect(lineCol('ab\ncd', 4)).toEqual({ line: 2, col: 2 });
  });
});

describe('listMigrations: the CLI\'s file rule and order', () => {
  it('takes <digits>_<name>.sql in byte order, reports the rest, skips an old first _init.sql', () => {
    const d = path.join(dir, 'm');
    mkdirSync(path.join(d, 'sub.sql'), { recursive: true });
    for (const f of ['20211208000000_init.sql', '20240102000000_b.sql', '20240101000000_a.sql', '2_short.sql', '20240103_c.SQL', 'notes.md', 'seed.sql', '20240101000000_A.sql']) writeFileSync(path.join(d, f), 'select 1;');
    const r = listMigrations(d, dir);
    expect(r.dir).toBe('m');
    expect(r.files.map((f) => f.file)).toEqual(['m/20240101000000_A.sql', 'm/20240101000000_a.sql', 'm/20240102000000_b.sql', 'm/2_short.sql']);
    expect(r.files[0]).toMatchObject({ version: '20240101000000', name: 'A' });
    expect(r.skipped.map((s) => path.basename(s.file)).sort()).toEqual(['20211208000000_init.sql', '20240103_c.SQL', 'notes.md', 'seed.sql']);
  });

  it('a missing folder or a file is a usage error naming it', () => {
    expect(() => listMigrations(path.join(dir, 'nope'))).toThrow(/--migrations .*nope does not exist/);
    writeFileSync(path.join(dir, 'file.sql'), '');
    expect(() => listMigrations(path.join(dir, 'file.sql'))).toThrow(/is not a folder/);
  });
});

describe('missingExtension', () => {
  it('reads the extension name from both Postgres wordings', () => {
    expect(missingExtension('extension "pg_net" is not available')).toBe('pg_net');
    expect(missingExtension('could not open extension control file "/usr/share/postgresql/13/extension/pg_cron.control": No such file or directory')).toBe('pg_cron');
    expect(missingExtension('relation "x" does not exist')).toBeUndefined();
  });
});
