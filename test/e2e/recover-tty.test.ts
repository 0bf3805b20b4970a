import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { statuses, tempDir } from '../support/fix.js';
import { runUndo } from '../support/recover.js';

// util-linux `script` gives the CLI a real terminal; without it this file has nothing to run on.
const hasScript = existsSync('/usr/bin/script');
const PROMPT = '[y]es / [s]kip / [a]bort: ';
const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

/** Runs `recover` on a pseudo-terminal and gives the answers in order, one per prompt, as each prompt appears. */
async function recoverOnTerminal(d: TestDb, answers: string[], opts: { stdoutToFile?: boolean } = {}) {
  const dir = tempDir();
  const report = path.join(dir, 'incident.md');
  const undo = path.join(dir, 'undo.sql');
  // A pty made by script has no size; give it one, as a real terminal has.
  const cmd = `stty cols 80 rows 40; ${JSON.stringify(process.execPath)} bin/campfire.js recover --db-url '${d.url}' --report '${report}' --undo-file '${undo}'${opts.stdoutToFile ? ` > '${path.join(dir, 'stdout.txt')}'` : ''}`;
  const sub = execa('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
  let seen = '';
  let asked = 0;
  sub.stdout!.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    const prompts = seen.split(PROMPT).length - 1;
    // Ctrl-C (\u0003) is a keystroke of its own; the other answers end with Enter.
    while (asked < prompts) {
      const a = answers[asked++] ?? 'a';
      sub.stdin!.write(a === '\u0003' ? a : `${a}\n`);
    }
  });
  const r = await sub;
  return { exitCode: r.exitCode, output: seen, asked, report, undo };
}

describe.skipIf(!hasScript)('recover on a terminal asks before each step', () => {
  it('"skip" on step 1 is honoured and recorded; the one undo script still restores everything', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    const r = await recoverOnTerminal(d, ['s', 'y', 'y', 'y', 'y']);
    expect(r.asked).toBe(5);
    expect(r.output).toContain('Run step 1? [y]es / [s]kip / [a]bort:');
    expect(r.output).toContain('Step 2: is it done? [y]es / [s]kip / [a]bort:');
    expect(r.exitCode).toBe(1);

    // Step 1 skipped: the publication is exactly as it was; step 3 ran.
    const after = await d.snapshot();
    expect(after.publication).toEqual(before.publication);
    expect(after.tables.map((t) => [t.name, t.published, t.columns.map((c) => c.published)])).toEqual(before.tables.map((t) => [t.name, t.published, t.columns.map((c) => c.published)]));
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('fail');
    expect(s['functions.security-definer']).toBe('pass');

    const report = readFileSync(r.report, 'utf8');
    expect(report).toContain('- Mode: interactive (asked before each step)');
    expect(report).toContain('### 1. Reset publication (the fix-publication plan): ⏭️ skipped\n\nskipped at the prompt');
    expect(report).toContain('### 2. Restart the server: ✅ done\n\nrestarted by hand (confirmed at the prompt)');
    expect(report).toContain('### 4. Reset clients: ✅ done\n\nconfirmed at the prompt');
    expect(report).toMatch(/\*\*Still failing:\*\* [^\n]*`publication\.scalar-columns`/);

    // The undo script holds both plans' undo; with step 1 never run it still restores the broken state exactly.
    await runUndo(d, r.undo);
    expect(await d.snapshot()).toEqual(before);
  });

  it('"abort" stops before the step: nothing changed, the report says so (stdout redirected: it still asks)', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    // Questions go to stderr and answers come from stdin, so `recover > incident.log` on a terminal still asks.
    const r = await recoverOnTerminal(d, ['a'], { stdoutToFile: true });
    expect(r.asked).toBe(1);
    expect(r.exitCode).toBe(1);
    expect(await d.snapshot()).toEqual(before);
    const report = readFileSync(r.report, 'utf8');
    expect(report).toContain('**Stopped early:** aborted at the prompt of step 1. Nothing had been done yet.');
  });
  it('Ctrl-C at a prompt is abort: step 1 stays done, nothing after it runs, the report says why', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const r = await recoverOnTerminal(d, ['y', '\u0003']);
    expect(r.asked).toBe(2);
    expect(r.exitCode).toBe(1);
    const s = await statuses(d);
    expect(s['publication.scalar-columns']).toBe('pass');
    expect(s['functions.security-definer']).toBe('fail');
    expect(readFileSync(r.report, 'utf8')).toContain('**Stopped early:** aborted at the prompt of step 2. Already done before stopping: 1 done.');
  });
});
