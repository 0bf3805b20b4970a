import { rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { packedProject, ROOT } from '../../scripts/packed-project.mjs';

/**
 * README "Use it in your project": `npm pack` here, `npm install --save-dev` of the tarball in an empty
 * project, then `npx campfire` there, on Node 22 (the Node running the tests, first on PATH: a supported
 * setup). It installs from npm's cache or the registry, so it runs when asked: CAMPFIRE_PACK_TEST=1
 * (.ci/run sets it once per CI run).
 */
const enabled = process.env.CAMPFIRE_PACK_TEST === '1';
const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
let cleanup: string | undefined;
afterAll(() => {
  if (cleanup) rmSync(cleanup, { recursive: true, force: true });
});

describe.skipIf(!enabled)('campfire installed from its npm pack tarball', () => {
  it("this repository's installed tree matches its lockfile (npm ls clean), so npx need not re-read it", async () => {
    // After `npm ci`, scripts/prepare.mjs removed the node devDependency's nested install (issue 18).
    const ls = await execa('npm', ['ls', '--all'], { cwd: ROOT, env: { ...process.env, ...env }, reject: false });
    expect(ls.exitCode, `${ls.stdout}${ls.stderr}`.split('\n').filter((l) => /extraneous|missing|invalid/.test(l)).join('\n')).toBe(0);
  });

  it('installs quietly, and npx campfire runs in the project', { timeout: 300_000 }, async () => {
    const p = packedProject(env);
    cleanup = p.dir;
    expect(p.tarball).toMatch(/^campfire-realtime-\d+\.\d+\.\d+\.tgz$/);
    expect(p.installOutput).not.toMatch(/EBADENGINE/);
    const run = (args: string[]) => execa('npx', args, { cwd: p.project, env: { ...process.env, ...env }, reject: false });
    const version = await run(['campfire', '--version']);
    expect(version.exitCode, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const checks = await run(['campfire', 'checks', '--json']);
    expect(checks.exitCode, checks.stderr).toBe(0);
    expect(JSON.parse(checks.stdout).checks.length).toBeGreaterThan(20);
    // The package brings what its commands read at run time (sql/, the fixtures for the demo, docs/).
    const ls = await execa('npm', ['ls', '--all'], { cwd: p.project, env: { ...process.env, ...env }, reject: false });
    expect(ls.exitCode, ls.stdout + ls.stderr).toBe(0);
  });
});
