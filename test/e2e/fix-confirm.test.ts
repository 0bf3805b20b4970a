import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';

// util-linux `script` gives the CLI a real terminal; without it this file has nothing to run on.
const hasScript = existsSync('/usr/bin/script');
const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

/** Runs `fix-permissions --apply` on a terminal, answers the question once it is asked. */
async function applyOnTerminal(d: TestDb, answer: string) {
  const undo = path.join(tempDir(), 'undo.sql');
  // A pty made by script has no size; give it one, as a real terminal has.
  const cmd = `stty cols 120 rows 40; ${JSON.stringify(process.execPath)} bin/campfire.js fix-permissions --db-url '${d.url}' --apply --undo-file '${undo}'`;
  const sub = execa('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
  let seen = '';
  sub.stdout!.on('data', (chunk: Buffer) => {
    const before = seen;
    seen += chunk.toString();
    if (!before.includes('[y/N]') && seen.includes('[y/N]')) sub.stdin!.write(`${answer}\n`);
  });
  const r = await sub;
  return { exitCode: r.exitCode, output: seen, undo };
}

describe.skipIf(!hasScript)('fix --apply on a terminal asks first', () => {
  it('"n" changes nothing and exits 1', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    const r = await applyOnTerminal(d, 'n');
    expect(r.output).toContain('Apply these 5 steps');
    expect(r.exitCode).toBe(1);
    expect(existsSync(r.undo)).toBe(false);
    expect(await d.snapshot()).toEqual(before);
  });

  it('"y" applies the plan it showed', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const r = await applyOnTerminal(d, 'y');
    expect(r.exitCode).toBe(0);
    expect(existsSync(r.undo)).toBe(true);
    const snap = await d.snapshot();
    expect(snap.functions.find((f) => f.name === 'sync_realtime_conversations')!.securityDefiner).toBe(true);
  });
});

describe.skipIf(!hasScript)('the question counts in English', () => {
  it('a one-step plan asks "Apply this step", never "these 1 steps"', async () => {
    const d = await createDatabase('healthy', 'REVOKE INSERT ON public.messages FROM anon;');
    dbs.push(d);
    const r = await applyOnTerminal(d, 'n');
    expect(r.output).toContain('Apply this step to');
    expect(r.output).not.toMatch(/\b1 steps\b/);
  });
});
