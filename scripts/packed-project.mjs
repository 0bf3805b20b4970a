// A user's project with campfire installed the way the README says: `npm pack` here, then
// `npm install --save-dev <tarball>` in an empty project. Used by the startup benchmark and the install test.
// The dependencies come from npm's cache when `npm ci` has just filled it (--prefer-offline), else the registry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

function run(cmd, args, cwd, env) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${(r.stderr || r.stdout || '').slice(-2000)}`);
  return r;
}

/** Packs the repository (dist/ must be built) and installs the tarball into a fresh project; returns its folder and the install's output. */
export function packedProject(env = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-packed-'));
  run('npm', ['pack', '--silent', '--pack-destination', dir], ROOT, env);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  const project = path.join(dir, 'app');
  run('mkdir', ['-p', project], dir);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-campfire-app', version: '1.0.0', private: true }, null, 2));
  const install = run('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, tarball)], project, env);
  return { dir, project, tarball, installOutput: `${install.stdout}${install.stderr}` };
}
