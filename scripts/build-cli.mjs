// Bundles the CLI for bin/campfire.js (issue 8, benchmark 2 "Startup"): dist/campfire.js plus lazy chunks
// dist/campfire-<hash>.js. tsc still type-checks and writes dist/<module>.js for tests and benchmarks that
// import single modules; this bundle is only what the command line runs.
//
// Why, measured with instruction counts (valgrind) and medians (bench/startup.mjs):
// - Node's ESM loader costs per module (resolve, package scope lookup, read, link): `checks` loaded 70 files,
//   `--version` 30. One entry chunk plus a few shared chunks does the same work.
// - An ESM `import … from 'node:fs'` (and node:util, node:process) builds the module's ESM facade, which reads
//   every export and so loads everything Node keeps lazy (fs/promises, readline, worker_threads, process.stdin…).
//   A CommonJS require() reads only the names used, so the bundle imports builtins through createRequire.
// Code splitting keeps each command's own modules in chunks loaded by its dynamic import(); every npm
// dependency except the two the CLI always needs (commander, chalk) stays external and loads only there.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist');
/** Always loaded by bin/campfire.js: worth bundling. Everything else (pg, supabase-js, ws, oxc-parser…) stays external. */
const BUNDLED = ['commander', 'chalk'];
const PREFIX = 'campfire';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
// Chunk names carry a content hash: remove the previous build's so dist/ holds exactly one bundle.
for (const f of readdirSync(OUT, { withFileTypes: true })) {
  if (f.isFile() && (f.name === `${PREFIX}.js` || f.name.startsWith(`${PREFIX}-`))) rmSync(path.join(OUT, f.name));
}

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { [PREFIX]: 'src/cli.ts' },
  // Chunks sit beside the entry in dist/ (not in a subfolder): src/paths.ts finds the package root as the
  // parent of the running module's folder, for dist/campfire*.js as for dist/paths.js.
  outdir: OUT,
  chunkNames: `${PREFIX}-[hash]`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  tsconfig: 'tsconfig.json',
  external: Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.includes(d)),
  write: false,
  logLevel: 'warning',
});

const REQUIRE = '__campfireRequire';
const LAZY = '__campfireLazy';
// Imported by code every run loads, used only on paths campfire never or rarely takes (commander spawns
// executable subcommands with child_process; campfire has none): required on first use, not at startup.
const LAZY_BUILTINS = new Set(['node:child_process']);
// esbuild prints every external import in one of these forms: `import x from "node:m";`,
// `import { a, b as c } from "node:m";` (possibly over several lines), `import * as x from "node:m";`,
// `import x, { a } from "node:m";` or a bare `import "node:m";`.
const BUILTIN_IMPORT = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*(?:from\s+)?"(node:[^"]+)";$/gm;

function requireBuiltins(code, file) {
  let used = false;
  const out = code.replace(BUILTIN_IMPORT, (_all, def, named, ns, spec) => {
    used = true;
    const req = `${REQUIRE}(${JSON.stringify(spec)})`;
    const lines = [];
    const whole = LAZY_BUILTINS.has(spec) ? `${LAZY}(${JSON.stringify(spec)})` : req;
    if (def) lines.push(`const ${def} = ${whole};`);
    if (ns) lines.push(`const ${ns} = ${whole};`);
    if (named !== undefined) {
      const names = named.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/\s+as\s+/, ': '));
      lines.push(`const { ${names.join(', ')} } = ${req};`);
    }
    if (!lines.length) lines.push(`${req};`);
    return lines.join(' ');
  });
  if (/^import[^;]*"node:/m.test(out)) throw new Error(`${file}: an import of a node: builtin has a form build-cli.mjs does not rewrite`);
  if (!used) return out;
  // The rewritten imports run in the order they were written, before the module body, as imports would.
  const lazy = out.includes(`${LAZY}(`)
    ? `const ${LAZY} = (id) => { let m; return new Proxy({}, { get: (_, key) => (m ??= ${REQUIRE}(id))[key] }); };\n`
    : '';
  return `import { createRequire as ${REQUIRE}Create } from "node:module";\nconst ${REQUIRE} = ${REQUIRE}Create(import.meta.url);\n${lazy}${out}`;
}

for (const file of result.outputFiles) {
  writeFileSync(file.path, requireBuiltins(file.text, path.relative(ROOT, file.path)));
}
