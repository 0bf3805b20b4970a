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
    expect(realtime.map((c) => c.status)).toEqual(['skip', 'skip', 'skip', 'skip', 'skip']);
    expect(realtime[0]!.summary).toMatch(/^no Realtime input: pass --supabase-url/);
    expect(report.exitCode).toBe(0);
    expect(report.realtime).toBeUndefined();
  });

  it('with SUPABASE_URL/SUPABASE_ANON_KEY in the environment but no --org/--conv, says what is missing', async () => {
    const report = await diagnose({ dbUrl: db.url, connectTimeout: '10s', statementTimeout: '15s' }, io({ SUPABASE_URL: 'http://127.0.0.1:1', SUPABASE_ANON_KEY: 'k' }));
    expect(report.checks.find((c) => c.id === 'realtime.join')!.summary).toMatch(/--org and --conv are not/);
  });
});
