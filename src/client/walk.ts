import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Extensions the parser reads (TypeScript, JavaScript and their JSX / module variants). */
export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

/** Component files whose `<script>` blocks are read (src/client/sfc.ts). */
export const COMPONENT_EXTENSIONS = new Set(['.vue', '.svelte', '.astro']);

/**
 * Framework files that can hold realtime code but that campfire does not read: listed so the report names
 * them instead of passing them silently.
 */
export const UNREAD_EXTENSIONS = new Set(['.mdx', '.marko', '.riot', '.imba']);

/** Folders never worth reading, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

interface IgnoreLayer {
  /** Absolute directory the .gitignore lives in; its patterns are relative to it. */
  base: string;
  rules: Ignore;
}

/**
 * Lists the source files under `root`, sorted, skipping node_modules, .git and whatever the .gitignore
 * files say — those inside the tree and those in parent folders up to the repository root, each applied
 * relative to its own folder as git does. Symbolic links are not followed (no cycles, no escaping the tree).
 */
export function listSourceFiles(root: string, onUnreadable: (dir: string, err: Error) => void = () => {}): string[] {
  const files: string[] = [];
  const visit = (dir: string, layers: IgnoreLayer[]): void => {
    let own: IgnoreLayer | null;
    let listing;
    try {
      own = readLayer(dir);
      listing = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      // A folder campfire may not read is reported, not fatal: the rest of the tree is still checked.
      onUnreadable(dir, err as Error);
      return;
    }
    const active = own ? [...layers, own] : layers;
    const entries = listing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(full, true, active)) continue;
        visit(full, active);
      } else if (entry.isFile() && isListed(entry.name)) {
        if (!isIgnored(full, false, active)) files.push(full);
      }
    }
  };
  visit(root, parentLayers(root));
  return files;
}

function isListed(name: string): boolean {
  const ext = path.extname(name);
  if (SOURCE_EXTENSIONS.has(ext)) return !name.endsWith('.d.ts');
  return COMPONENT_EXTENSIONS.has(ext) || UNREAD_EXTENSIONS.has(ext);
}

function readLayer(dir: string): IgnoreLayer | null {
  const file = path.join(dir, '.gitignore');
  if (!existsSync(file)) return null;
  return { base: dir, rules: ignore().add(readFileSync(file, 'utf8')) };
}

/** The .gitignore files of the folders above `root`, outermost first, stopping at the repository root. */
function parentLayers(root: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = root;
  while (!existsSync(path.join(dir, '.git'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return []; // not inside a git repository: only the tree's own .gitignore files count
    dir = parent;
    const layer = readLayer(dir);
    if (layer) layers.unshift(layer);
  }
  return layers;
}

/**
 * As git: the deepest .gitignore with a rule matching the path decides, so a nested `!pattern` can bring
 * back a file an outer .gitignore excluded (but not one inside an excluded folder, which is never entered).
 */
function isIgnored(full: string, isDir: boolean, layers: IgnoreLayer[]): boolean {
  let ignored = false;
  for (const { base, rules } of layers) {
    const rel = path.relative(base, full).split(path.sep).join('/');
    const verdict = rules.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}
