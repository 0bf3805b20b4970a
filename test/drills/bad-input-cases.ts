import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { CliRun } from '../support/cli.js';
import type { TestDb } from '../support/db.js';

/** Distinctive secrets: every URL and key in the matrix carries one, and none may appear in any output. */
export const PW = 'Zq9-Drill-Pw-7f3c';
export const INTRUDER_PW = 'Zq9-Intruder-Pw-2b8d';
export const KEY = 'eyJZq9-Drill-Key-91ae';
export const SECRETS = [PW, INTRUDER_PW, KEY];

export interface Ctx {
  /** URL of a database as a superuser whose password is PW (broken fixture, shared, must never change). */
  broken: string;
  brokenDb: TestDb;
  empty: string;
  emptyDb: TestDb;
  readOnly: string;
  /** The broken fixture as a LOGIN role that owns nothing (password INTRUDER_PW). */
  intruder: string;
  /** The superuser with a wrong password (only meaningful where the server checks passwords). */
  wrongPassword: string;
  checksPasswords: boolean;
  closedPort: number;
  /** A fresh broken database for a case that is allowed to change it; the last one made stays in `lastFresh`. */
  fresh(state?: 'broken' | 'empty', extraSql?: string): Promise<TestDb>;
  lastFresh?: TestDb;
  /** The URL of a database on the test server, as the drill superuser. */
  urlOf(db: TestDb): string;
}

export interface Case {
  name: string;
  /** The case's own temp folder is the working directory; files it writes are scanned for secrets. */
  args(ctx: Ctx, dir: string): string[] | Promise<string[]>;
  exit: number[];
  /** Expected on stderr (exit 2) or in the JSON outcome/stdout. */
  says?: RegExp;
  json?: boolean;
  env?(ctx: Ctx): Record<string, string>;
  needsPasswordCheck?: boolean;
  then?(ctx: Ctx, r: CliRun, dir: string): Promise<void>;
}

const closed = (ctx: Ctx) => `postgres://postgres:${PW}@127.0.0.1:${ctx.closedPort}/postgres`;
const file = (dir: string, name: string, text: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const config = (dir: string, json: unknown) => file(dir, 'campfire.config.json', JSON.stringify(json));
const HOSTILE = 'x"; drop table conversations; --';
/** Healthy log lines, gzipped, with bytes in the middle flipped: a reader gets some lines, then an error. */
const corruptGzip = () => {
  const gz = Buffer.from(gzipSync(Buffer.from('2026-11-25T23:00:00Z [Realtime] ✅ Broadcast successful: org:o:conv:c -> message:created\n'.repeat(20_000))));
  for (let i = gz.length >> 1; i < (gz.length >> 1) + 32; i++) gz[i] = gz[i]! ^ 0x5a;
  return gz;
};
const stillThere = async (db: TestDb) => {
  expect(await db.query(`select 1 from pg_class where relname = 'conversations' and relkind = 'r'`)).toHaveLength(1);
};
const apply = (dir: string) => ['--apply', '--yes', '--undo-file', path.join(dir, 'undo.sql')];

export const CASES: Case[] = [
  // Malformed and hostile URLs
  { name: 'doctor: URL that is not a URL', args: () => ['doctor', '--db-url', `not a url ${PW}`], exit: [2], says: /not a valid URL/ },
  { name: 'doctor: mysql:// URL', args: () => ['doctor', '--db-url', `mysql://u:${PW}@127.0.0.1/x`], exit: [2], says: /must start with postgres:\/\// },
  { name: 'doctor: quotes in password and database name', args: (c) => ['doctor', '--db-url', `postgres://u:${PW}'"@127.0.0.1:${c.closedPort}/db'"x`], exit: [2], says: /Nothing is listening/ },
  { name: 'doctor: newline inside the URL', args: (c) => ['doctor', '--db-url', `postgres://u:${PW}@127.0.0.1:${c.closedPort}/db\nx`], exit: [2] },
  { name: 'doctor: ?options=-c statement_timeout=0 is overridden, doctor still judges', args: (c) => ['doctor', '--db-url', `${c.broken}?options=-c%20statement_timeout%3D0`, '--json'], exit: [1], json: true },
  { name: 'doctor: unicode database name that does not exist', args: (c) => ['doctor', '--db-url', c.broken.replace(/\/[^/]*$/, '/dätäbase_ü')], exit: [2], says: /does not exist/ },
  { name: 'doctor: 60,000-character password', args: (c) => ['doctor', '--db-url', `postgres://postgres:${PW}${'a'.repeat(60_000)}@127.0.0.1:${c.closedPort}/x`], exit: [2], says: /Nothing is listening/ },
  { name: 'doctor: port out of range', args: () => ['doctor', '--db-url', `postgres://postgres:${PW}@127.0.0.1:99999/x`], exit: [2] },
  { name: 'doctor: sslmode=require against a server without SSL', args: (c) => ['doctor', '--db-url', `${c.broken}?sslmode=require`], exit: [2], says: /SSL problem/ },
  { name: 'doctor: DATABASE_URL that is not a URL', args: () => ['doctor'], env: () => ({ DATABASE_URL: `::${PW}::` }), exit: [2], says: /not a valid URL/ },
  // Unreachable hosts and wrong credentials
  { name: 'doctor: closed port on 127.0.0.1', args: (c) => ['doctor', '--db-url', closed(c), '--connect-timeout', '3s'], exit: [2], says: /Nothing is listening/ },
  { name: 'fix-permissions --apply: closed port', args: (c, d) => ['fix-permissions', '--db-url', closed(c), ...apply(d)], exit: [2], says: /Nothing is listening/ },
  { name: 'doctor: wrong password', needsPasswordCheck: true, args: (c) => ['doctor', '--db-url', c.wrongPassword], exit: [2], says: /Password authentication failed/ },
  { name: 'fix-publication: role that does not exist', args: (c) => ['fix-publication', '--db-url', c.broken.replace(/\/\/[^:]+:/, '//no_such_role_zz:')], exit: [2], says: /refused user|authentication failed/ },
  // Databases without the Supabase roles, read-only, a role that owns nothing
  { name: "doctor: database without the Supabase roles (state 'empty')", args: (c) => ['doctor', '--db-url', c.empty, '--json'], exit: [1], json: true },
  // Without the guide's tables there is nothing to repair: an error naming them, not "nothing to do".
  { name: "fix-permissions --apply: state 'empty' names the missing tables", args: (c, d) => ['fix-permissions', '--db-url', c.empty, ...apply(d), '--json'], exit: [2], says: /public\.conversations, public\.messages, public\.realtime_conversations do not exist/ },
  {
    name: "fix-publication --apply: state 'empty' creates no stray publication",
    args: (c, d) => ['fix-publication', '--db-url', c.empty, ...apply(d), '--json'], exit: [2], says: /do not exist/,
    then: async (c) => expect(await c.emptyDb.query('select pubname from pg_publication')).toEqual([]),
  },
  {
    name: "fix-publication --apply: FOR ALL TABLES publication in a database without the tables is left alone",
    args: async (c, d) => ['fix-publication', '--db-url', c.urlOf(await c.fresh('empty', 'create publication supabase_realtime for all tables')), ...apply(d), '--json'],
    exit: [2], says: /do not exist/,
    then: async (c) => expect(await c.lastFresh!.query('select puballtables from pg_publication')).toEqual([{ puballtables: true }]),
  },
  { name: 'fix-permissions --apply: default_transaction_read_only = on', args: (c, d) => ['fix-permissions', '--db-url', c.readOnly, ...apply(d), '--json'], exit: [1], json: true, says: /read-only transaction.*connect to the primary/ },
  { name: 'fix-publication --apply: default_transaction_read_only = on', args: (c, d) => ['fix-publication', '--db-url', c.readOnly, ...apply(d), '--json'], exit: [1], json: true, says: /read-only transaction/ },
  { name: 'doctor: default_transaction_read_only = on still works', args: (c) => ['doctor', '--db-url', c.readOnly, '--json'], exit: [1], json: true },
  { name: 'fix-permissions --apply: role without ownership', args: (c, d) => ['fix-permissions', '--db-url', c.intruder, ...apply(d), '--json'], exit: [1], json: true, says: /(permission denied|must be owner).*Connect as the role that owns/ },
  { name: 'fix-publication --apply: role without ownership', args: (c, d) => ['fix-publication', '--db-url', c.intruder, ...apply(d), '--json'], exit: [1], json: true, says: /must be owner of publication/ },
  // Files: missing, directories, invalid content, unwritable places
  { name: 'doctor --config: file does not exist', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', path.join(d, 'nope.json')], exit: [2], says: /does not exist/ },
  { name: 'fix-publication --config: a directory', args: (c, d) => ['fix-publication', '--db-url', c.broken, '--config', d], exit: [2], says: /is a directory/ },
  { name: 'fix-permissions --config: invalid JSON', args: (c, d) => ['fix-permissions', '--db-url', c.broken, '--config', file(d, 'c.json', '{"schema": "public",')], exit: [2], says: /not valid JSON/ },
  { name: 'doctor --config: binary bytes', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', file(d, 'c.json', Buffer.from([0xff, 0xfe, 0, 1, 0x80, 0x7b]))], exit: [2], says: /not valid JSON/ },
  { name: 'doctor --config: unknown key', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', config(d, { tabels: {} })], exit: [2], says: /"tabels" is not a known key/ },
  { name: 'fix-permissions --undo-file: a directory', args: (c, d) => ['fix-permissions', '--db-url', c.broken, '--apply', '--yes', '--undo-file', d], exit: [2], says: /already exists/ },
  { name: 'fix-permissions --undo-file: under a file', args: (c, d) => ['fix-permissions', '--db-url', c.broken, '--apply', '--yes', '--undo-file', path.join(file(d, 'f', ''), 'u.sql')], exit: [2], says: /is a file/ },
  {
    name: 'fix-permissions --undo-file: a dangling symlink (cannot be created)',
    args: (c, d) => {
      symlinkSync(path.join(d, 'missing', 'target.sql'), path.join(d, 'link.sql'));
      return ['fix-permissions', '--db-url', c.broken, '--apply', '--yes', '--undo-file', path.join(d, 'link.sql')];
    },
    exit: [2], says: /Could not write the undo script.*nothing was changed/,
  },
  { name: 'fix-permissions: default undo folder blocked by a file', args: (c, d) => (file(d, '.campfire', ''), ['fix-permissions', '--db-url', c.broken, '--apply', '--yes']), exit: [2], says: /\.campfire is a file/ },
  { name: 'fix-publication --write-migration: under a file', args: (c, d) => ['fix-publication', '--db-url', c.broken, '--write-migration', path.join(file(d, 'f', ''), 'migrations')], exit: [2], says: /is a file/ },
  { name: 'fix-publication --apply --write-migration: a file', args: (c, d) => ['fix-publication', '--db-url', c.broken, ...apply(d), '--write-migration', file(d, 'm.sql', '')], exit: [2], says: /is a file/ },
  { name: 'doctor --junit: a directory', args: (c, d) => ['doctor', '--db-url', c.broken, '--junit', d], exit: [2], says: /it is a folder/ },
  { name: 'doctor --junit: under a file', args: (c, d) => ['doctor', '--db-url', c.broken, '--junit', path.join(file(d, 'f', ''), 'j.xml')], exit: [2], says: /not a folder/ },
  { name: 'doctor --src: does not exist', args: (c, d) => ['doctor', '--db-url', c.broken, '--src', path.join(d, 'nope')], exit: [2] },
  { name: 'doctor --config: channels pattern with a broken placeholder', args: (c, d) => ['doctor', '--src', d, '--config', config(d, { channels: { orgWide: ['org:{orgId'] } })], exit: [2], says: /"channels" \.orgWide: "org:\{orgId" has an unbalanced/ },
  { name: 'doctor --sarif without --src', args: (c, d) => ['doctor', '--db-url', c.broken, '--sarif', path.join(d, 's.sarif')], exit: [2], says: /--sarif needs --src/ },
  // Check ids and numbers
  { name: 'doctor --only: unknown check id', args: (c) => ['doctor', '--db-url', c.broken, '--only', 'publication.nope'], exit: [2], says: /unknown check or section "publication.nope"/ },
  { name: 'doctor --skip: unknown check id', args: (c) => ['doctor', '--db-url', c.broken, '--skip', "'; drop table x"], exit: [2], says: /unknown check or section/ },
  { name: 'fix-permissions --lock-timeout -1', args: (c) => ['fix-permissions', '--db-url', c.broken, '--lock-timeout', '-1'], exit: [2], says: /--lock-timeout must be/ },
  { name: 'fix-publication --lock-timeout 0', args: (c) => ['fix-publication', '--db-url', c.broken, '--lock-timeout', '0'], exit: [2], says: /between 1ms and 1h/ },
  { name: 'fix-permissions --lock-timeout 99999h', args: (c) => ['fix-permissions', '--db-url', c.broken, '--lock-timeout', '99999h'], exit: [2], says: /--lock-timeout must be/ },
  { name: 'doctor --connect-timeout abc', args: (c) => ['doctor', '--db-url', c.broken, '--connect-timeout', 'abc'], exit: [2], says: /--connect-timeout must be/ },
  { name: 'doctor --statement-timeout 1e9', args: (c) => ['doctor', '--db-url', c.broken, '--statement-timeout', '1e9'], exit: [2], says: /--statement-timeout must be/ },
  { name: 'doctor --fail-on sometimes', args: (c) => ['doctor', '--db-url', c.broken, '--fail-on', 'sometimes'], exit: [2], says: /invalid/ },
  // Identifiers with quotes, spaces and unicode in the config: work or fail cleanly, never inject
  {
    name: `doctor: tables.conversations = ${HOSTILE}`,
    args: (c, d) => ['doctor', '--db-url', c.broken, '--config', config(d, { tables: { conversations: HOSTILE } }), '--json'], exit: [1], json: true,
    then: async (c) => stillThere(c.brokenDb),
  },
  { name: 'doctor: schema with spaces and unicode', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', config(d, { schema: 'my schéma ü' }), '--json'], exit: [1], json: true },
  {
    name: `fix-permissions: roles and function named like SQL`,
    args: (c, d) => ['fix-permissions', '--db-url', c.broken, '--config', config(d, { roles: { anon: 'a"non' }, functions: { sync: "f'); drop table conversations; --" } }), '--json'],
    exit: [0, 1], json: true, then: async (c) => stillThere(c.brokenDb),
  },
  {
    name: `fix-publication --apply: publication = ${HOSTILE}`,
    args: async (c, d) => ['fix-publication', '--db-url', c.urlOf(await c.fresh()), '--config', config(d, { publication: HOSTILE }), ...apply(d), '--json'],
    exit: [0], json: true, says: /"applied"/,
    then: async (c) => {
      const db = c.lastFresh!;
      await stillThere(db);
      expect(await db.query('select pubname from pg_publication where pubname = $1', [HOSTILE])).toHaveLength(1);
    },
  },
  // Runs that do write reports and scripts: the files are scanned for the secrets like every output.
  {
    name: 'doctor --junit --json: the written report holds no secret',
    args: (c, d) => ['doctor', '--db-url', c.broken, '--junit', path.join(d, 'reports', 'campfire.xml'), '--json'], exit: [1], json: true,
    then: async (_c, _r, d) => expect(readFileSync(path.join(d, 'reports', 'campfire.xml'), 'utf8')).toContain('<testsuite'),
  },
  {
    name: 'fix-permissions --apply --write-migration: undo script and migration hold no secret',
    args: async (c, d) => ['fix-permissions', '--db-url', c.urlOf(await c.fresh()), '--apply', '--yes', '--write-migration', path.join(d, 'migrations'), '--json'], exit: [0], json: true, says: /"applied"/,
    then: async (_c, r) => {
      const doc = JSON.parse(r.stdout) as { undoFile: string; migrationFile: string };
      expect(readFileSync(doc.undoFile, 'utf8')).toContain('BEGIN;');
      expect(readFileSync(doc.migrationFile, 'utf8')).toContain('GRANT');
    },
  },
  { name: 'fix-publication: a name longer than 63 bytes', args: (c, d) => ['fix-publication', '--db-url', c.broken, '--config', config(d, { publication: 'ü'.repeat(40) })], exit: [2], says: /longer than 63 bytes/ },
  { name: 'fix-publication: a line break in a name (would end a -- comment of the undo script)', args: (c, d) => ['fix-publication', '--db-url', c.broken, '--config', config(d, { publication: 'p\nDROP TABLE messages CASCADE; --' })], exit: [2], says: /control character U\+000A/ },
  { name: 'fix-permissions --apply: the configured schema does not exist', args: (c, d) => ['fix-permissions', '--db-url', c.broken, '--config', config(d, { schema: 'no_such_schema' }), ...apply(d)], exit: [2], says: /schema no_such_schema does not exist/ },
  { name: 'fix-publication: a configured table does not exist', args: (c, d) => ['fix-publication', '--db-url', c.broken, '--config', config(d, { tables: { messages: 'no_such_table' } })], exit: [2], says: /public\.no_such_table does not exist/ },
  // doctor --log / --since and --app-url / --supabase-url (landed in main with logs-http and probe)
  { name: 'doctor --log: file does not exist', args: (_c, d) => ['doctor', '--log', path.join(d, 'nope.log')], exit: [2], says: /does not exist/ },
  { name: 'doctor --log: a directory', args: (_c, d) => ['doctor', '--log', d], exit: [2], says: /is a directory/ },
  { name: 'doctor --log: empty file is a finding (no broadcasts)', args: (_c, d) => ['doctor', '--log', file(d, 'empty.log', ''), '--json'], exit: [1], json: true },
  { name: 'doctor --log: binary bytes', args: (_c, d) => ['doctor', '--log', file(d, 'bin.log', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))), '--json'], exit: [1], json: true },
  { name: 'doctor --log: truncated gzip', args: (_c, d) => ['doctor', '--log', file(d, 'cut.log.gz', gzipSync(Buffer.from('mismatch\n'.repeat(100))).subarray(0, 20)), '--json'], exit: [1], json: true },
  { name: 'doctor --since: not a time', args: (_c, d) => ['doctor', '--log', file(d, 'e.log', ''), '--since', 'yesterdayish'], exit: [2], says: /--since must be/ },
  { name: 'doctor --app-url: invalid URL with a password', args: () => ['doctor', '--app-url', `http://u:${PW}@bad host:1`, '--org-id', 'o'], exit: [2], says: /--app-url must be/ },
  { name: 'doctor --app-url: javascript: URL', args: () => ['doctor', '--app-url', 'javascript:alert(1)', '--org-id', 'o'], exit: [2], says: /must start with http/ },
  { name: 'doctor --app-url: closed port is a finding, password not printed', args: (c) => ['doctor', '--app-url', `http://u:${PW}@127.0.0.1:${c.closedPort}`, '--org-id', 'o"; drop table x; --', '--http-timeout', '2s', '--json'], exit: [1], json: true },
  { name: 'doctor --app-url --samples -3', args: (c) => ['doctor', '--app-url', `http://127.0.0.1:${c.closedPort}`, '--org-id', 'o', '--samples', '-3'], exit: [2], says: /--samples must be/ },
  { name: 'doctor --max-latency-ms abc', args: (c) => ['doctor', '--app-url', `http://127.0.0.1:${c.closedPort}`, '--org-id', 'o', '--max-latency-ms', 'abc'], exit: [2], says: /--max-latency-ms must be/ },
  { name: 'doctor --supabase-url: invalid URL with a password', args: () => ['doctor', '--supabase-url', `https://u:${PW}@bad host`, '--anon-key', KEY, '--org', 'o', '--conv', 'c'], exit: [2], says: /--supabase-url must be/ },
  // probe-broadcast (landed in main): URL, key, numbers, files; the key never printed
  { name: 'probe-broadcast --url: not a URL', args: () => ['probe-broadcast', '--url', 'not a url', '--key', KEY, '--org', 'o', '--conv', 'c'], exit: [2], says: /--url must be the project URL/ },
  { name: 'probe-broadcast --url: ftp://', args: () => ['probe-broadcast', '--url', 'ftp://127.0.0.1:1', '--key', KEY, '--org', 'o', '--conv', 'c'], exit: [2], says: /https:\/\/ or http:\/\// },
  { name: 'probe-broadcast --count -1', args: (c) => ['probe-broadcast', '--url', `http://127.0.0.1:${c.closedPort}`, '--key', KEY, '--org', 'o', '--conv', 'c', '--count', '-1'], exit: [2], says: /--count must be/ },
  { name: 'probe-broadcast --timeout-ms abc', args: (c) => ['probe-broadcast', '--url', `http://127.0.0.1:${c.closedPort}`, '--key', KEY, '--org', 'o', '--conv', 'c', '--timeout-ms', 'abc'], exit: [2], says: /--timeout-ms must be/ },
  { name: 'probe-broadcast --bindings: a directory', args: (c, d) => ['probe-broadcast', '--url', `http://127.0.0.1:${c.closedPort}`, '--key', KEY, '--org', 'o', '--conv', 'c', '--bindings', d], exit: [2], says: /--bindings/ },
  { name: 'probe-broadcast: closed port is a finding, key not printed', args: (c) => ['probe-broadcast', '--url', `http://127.0.0.1:${c.closedPort}`, '--key', KEY, '--org', 'o"; x', '--conv', 'c\nx', '--channels', 'conv', '--timeout-ms', '500', '--json'], exit: [1], json: true },
  // Issue 14 (hardening): inputs that lie and unreadable files, each one clear line
  { name: 'doctor: sslrootcert that does not exist', args: (c) => ['doctor', '--db-url', `${c.broken}?sslmode=verify-full&sslrootcert=/nonexistent/root.crt`], exit: [2], says: /sslrootcert=\/nonexistent\/root\.crt does not exist/ },
  { name: 'fix-permissions: sslcert that is a directory', args: (c, d) => ['fix-permissions', '--db-url', `${c.broken}?sslmode=require&sslcert=${encodeURIComponent(d)}`], exit: [2], says: /sslcert=.* is a directory/ },
  { name: 'doctor: sslkey that does not exist', args: (c, d) => ['doctor', '--db-url', `${c.broken}?sslkey=${encodeURIComponent(path.join(d, 'k.pem'))}`], exit: [2], says: /sslkey=.* does not exist/ },
  { name: 'doctor --since 2026-11-31 (no such day)', args: (_c, d) => ['doctor', '--log', file(d, 'e.log', ''), '--since', '2026-11-31'], exit: [2], says: /2026-11 has 30 days, not 31/ },
  { name: 'doctor --since 2026-13-45', args: (_c, d) => ['doctor', '--log', file(d, 'e.log', ''), '--since', '2026-13-45'], exit: [2], says: /no month 13/ },
  { name: 'doctor --since 25:00', args: (_c, d) => ['doctor', '--log', file(d, 'e.log', ''), '--since', '2026-11-25T25:00:00Z'], exit: [2], says: /no hour 25/ },
  { name: 'doctor --config: starts with a UTF-8 BOM (accepted)', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', file(d, 'c.json', `\uFEFF${JSON.stringify({ schema: 'public' })}`), '--json'], exit: [1], json: true },
  { name: 'doctor --config: tables.toString', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', config(d, { tables: { toString: 'x' } })], exit: [2], says: /"tables\.toString" is not a known key/ },
  { name: 'doctor --config: roles.__proto__', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', file(d, 'c.json', '{"roles": {"__proto__": "x"}}')], exit: [2], says: /"roles\.__proto__" is not a known key/ },
  { name: 'doctor --config: constructor at the top level', args: (c, d) => ['doctor', '--db-url', c.broken, '--config', config(d, { constructor: 'x' })], exit: [2], says: /"constructor" is not a known key/ },
  {
    name: 'doctor --since with terminal escapes: the error line carries none',
    args: (_c, d) => ['doctor', '--log', file(d, 'e.log', ''), '--since', '\u001b]0;owned\u0007\u001b[2J2026'], exit: [2], says: /--since must be/,
    then: async (_c, r) => expect(r.stderr).not.toMatch(/[\u001b\u0007]/),
  },
  { name: 'doctor --log: corrupt gzip with healthy lines is an error, not a pass', args: (_c, d) => ['doctor', '--log', file(d, 'c.log.gz', corruptGzip()), '--json'], exit: [1], json: true, says: /"status": "error"/ },
];
