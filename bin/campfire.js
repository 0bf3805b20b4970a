#!/usr/bin/env node
// Launcher: refuse old Node clearly before loading anything that would fail with a cryptic error.
// 22.12: the oldest Node every runtime dependency supports (commander 15 asks for it).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `campfire needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}. ` +
      'Install Node 22.12 or newer (e.g. `nvm install 22`); in campfire\'s own repository, `npm run campfire -- …` uses its pinned node@22.\n',
  );
  process.exit(2);
}
// Reuse V8's compiled code between runs (Node >= 22.1): startup is most of a short command's time.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
let cli;
try {
  // The bundle scripts/build-cli.mjs makes (dist/cli.js is the same code, unbundled, for tests and benchmarks).
  cli = await import('../dist/campfire.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/campfire.js')) {
    process.stderr.write('campfire is not built yet: run `npm run build` in its folder first.\n');
    process.exit(2);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));
// The work is done and printed: end now rather than wait for timers a library left behind
// (realtime-js's disconnect() leaves a 10 s timer running). Flush both streams first.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit();
