import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/commands/doctor.js';
import type { Io } from '../../src/io.js';
import { Chalk } from 'chalk';
import { createDatabase, type TestDb } from '../support/db.js';

const io = (env: NodeJS.ProcessEnv): Io => ({ out: () => {}, err: () => {}, isTTY: false, chalk: new Chalk({ level: 0 }), env });

describe('doctor with a database and no realtime input', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createDatabase('healthy');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('skips every realtime check with the reason and still passes', async () => {
    const report = await diagnose({ dbUrl: db.url, connectTimeout: '10s', statementTimeout: '15s' }, io({}));
    const realtime = report.checks.filter((c) => c.id.startsWith('realtime.'));
    expect(realtime.map((c) => c.status)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip', 'skip']);
    expect(realtime[0]!.summary).toMatch(/^no Realtime input: pass --supabase-url/);
    expect(report.exitCode).toBe(0);
    expect(report.realtime).toBeUndefined();
  });

  it('with SUPABASE_URL/SUPABASE_ANON_KEY in the environment but no --org/--conv, says what is missing', async () => {
    const report = await diagnose({ dbUrl: db.url, connectTimeout: '10s', statementTimeout: '15s' }, io({ SUPABASE_URL: 'http://127.0.0.1:1', SUPABASE_ANON_KEY: 'k' }));
    expect(report.checks.find((c) => c.id === 'realtime.join')!.summary).toMatch(/--org-id and --conv are not/);
  });
});

describe('doctor with a database and a Realtime server', () => {
  it('runs both sections from one call and reports both targets', async () => {
    const { startServer, KEY } = await import('../support/realtime.js');
    const db = await createDatabase('healthy');
    const server = await startServer();
    try {
      const report = await diagnose(
        { dbUrl: db.url, connectTimeout: '10s', statementTimeout: '15s', supabaseUrl: server.url, anonKey: KEY, org: 'o', conv: 'c' },
        io({}),
      );
      // Everything judged passes but who can listen: the guide's channels are public, and the outsider
      // holding only the anon key hears them. Only inputs not given (bindings file, app source) are skipped.
      expect(report.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => [c.id, c.status])).toEqual([['realtime.channel-exposure', 'fail']]);
      expect(report.checks.filter((c) => c.status === 'skip' && (c.id.startsWith('realtime.') || c.section === 'permissions')).map((c) => c.id)).toEqual(['realtime.bindings']);
      expect(report.target.database).toContain(db.name);
      expect(report.target.realtime).toBe(`${server.url.replace('http', 'ws')}/realtime/v1/websocket`);
      expect(report.realtime!.channels).toHaveLength(3);
      expect(report.exitCode).toBe(1);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});
