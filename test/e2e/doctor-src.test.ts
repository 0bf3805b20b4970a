import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tree } from '../client/tree.js';
import { createDatabase } from '../support/db.js';

// The real built CLI (npm test builds first), with no database in the environment.
const env = { DATABASE_URL: '', SUPABASE_DB_URL: '', NO_COLOR: '1' };
const campfire = (args: string[], cwd = process.cwd()) =>
  execa(process.execPath, [path.resolve('bin/campfire.js'), ...args], { cwd, env, reject: false });

describe('campfire doctor --src (built CLI)', () => {
  it('checks the fixture app without a database: one JSON document, client checks fail, database checks skipped, exit 1', async () => {
    const r = await campfire(['doctor', '--src', 'fixtures/client', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.checks.map((c: { id: string }) => [c.id, c]));
    expect(report.target).toEqual({ source: 'fixtures/client' });
    for (const id of ['client.broadcast-only', 'client.channel-names', 'client.event-names', 'client.cleanup', 'client.heartbeat', 'client.parse']) {
      expect(byId[id].status).toBe('fail');
    }
    expect(byId['publication.exists']).toMatchObject({ status: 'skip', summary: expect.stringMatching(/no database given/) });
    expect(byId['client.parse'].findings[0]).toMatchObject({
      object: 'fixtures/client/src/broken.ts:2:38',
      location: { file: 'fixtures/client/src/broken.ts', line: 2, column: 38, excerpt: 'export function broken(orgId: string {' },
    });
  });

  it('a clean app passes: exit 0', async () => {
    const root = tree({
      'events.ts': "export const UNIFIED_EVENTS = { CREATED: 'message:created' } as const;\n",
      'chat.tsx': [
        "import { UNIFIED_EVENTS } from './events';",
        'export function Chat({ orgId, convId }: { orgId: string; convId: string }) {',
        '  useEffect(() => {',
        '    const channel = supabase.channel(`bcast:org:${orgId}:conv:${convId}`, { config: { postgres_changes: [], private: true } });',
        "    channel.on('broadcast', { event: UNIFIED_EVENTS.CREATED }, () => {}).subscribe((status, err) => err && console.error(status, err));",
        "    channel.send({ type: 'broadcast', event: UNIFIED_EVENTS.CREATED, payload: {} });",
        '    return () => { supabase.removeChannel(channel); };',
        '  }, [orgId, convId]);',
        '  return <div />;',
        '}',
        'export const visitor = () => supabase.auth.signInAnonymously();',
      ].join('\n'),
    });
    const r = await campfire(['doctor', '--src', '.', '--json'], root);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const statuses = JSON.parse(r.stdout).checks.filter((c: { id: string }) => c.id.startsWith('client.')).map((c: { status: string }) => c.status);
    expect(statuses).toEqual(Array(9).fill('pass'));
  });

  it('--sarif writes a SARIF 2.1.0 log of the located findings', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'campfire-e2e-')), 'campfire.sarif');
    const r = await campfire(['doctor', '--src', 'fixtures/client', '--sarif', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/client\.broadcast-only/);
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(41);
  });

  it('bad input is one line on stderr and exit 2, with nothing written', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'campfire-e2e-')), 'x.sarif');
    const cases: [string[], RegExp][] = [
      [['doctor', '--src', 'no/such/dir'], /--src no\/such\/dir: not a directory/],
      [['doctor', '--src', 'package.json'], /not a directory/],
      [['doctor'], /Nothing to check: pass --db-url .* --src DIR/],
      [['doctor', '--sarif', out], /--sarif needs --src DIR/],
      [['doctor', '--src', 'fixtures/client', '--sarif', '/no/such/folder/x.sarif'], /folder \/no\/such\/folder does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await campfire(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('config "events" is used when the source has no UNIFIED_EVENTS, and a wrong value is a usage error', async () => {
    const root = tree({
      'a.js': "ch.on('broadcast', { event: 'a' }, f); ch.send({ type: 'broadcast', event: 'a' });\n",
      'good.json': JSON.stringify({ events: ['a'] }),
      'bad.json': JSON.stringify({ events: [''] }),
    });
    const good = await campfire(['doctor', '--src', '.', '--config', 'good.json', '--json'], root);
    const check = JSON.parse(good.stdout).checks.find((c: { id: string }) => c.id === 'client.event-names');
    expect(check).toMatchObject({ status: 'pass', summary: expect.stringMatching(/config "events"/) });
    const bad = await campfire(['doctor', '--src', '.', '--config', 'bad.json'], root);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/"events" \[0\] must be a non-empty string/);
  });

  it('with a database too, both inputs are judged in one report; SARIF holds only the located client findings', async () => {
    const db = await createDatabase('broken');
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'campfire-e2e-')), 'both.sarif');
    try {
      const r = await campfire(['doctor', '--db-url', db.url, '--src', 'fixtures/client', '--json', '--sarif', out]);
      expect(r.exitCode).toBe(1);
      const report = JSON.parse(r.stdout);
      const status = (id: string) => report.checks.find((c: { id: string }) => c.id === id)?.status;
      expect(status('publication.tables')).toBe('fail');
      expect(status('client.broadcast-only')).toBe('fail');
      expect(report.target.source).toBe('fixtures/client');
      expect(report.target.database).toBeTruthy();
      const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
      expect(results).toHaveLength(41);
      expect(results.every((x: { ruleId: string }) => x.ruleId.startsWith('client.'))).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
