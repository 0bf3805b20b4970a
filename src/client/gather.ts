import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { extractExports, extractFile, type FileFacts } from './extract.js';
import { scriptBlocks } from './sfc.js';
import type { Known } from './constants.js';
import { LISTEN_TYPES } from './extract.js';
import type { ClientStats, StaticValue } from './stats.js';
import { clientVersion } from './version.js';
import { COMPONENT_EXTENSIONS, listSourceFiles, UNREAD_EXTENSIONS } from './walk.js';

/**
 * Reads the app's source once: lists the files (skipping node_modules and .gitignored folders), parses
 * each, and merges their facts into one ClientStats. File names are relative to `cwd` when inside it,
 * so findings and SARIF point at paths a repository (and GitHub code scanning) knows.
 */
export function gatherClient(srcDir: string, cwd = process.cwd()): ClientStats {
  const root = path.resolve(cwd, srcDir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--src ${srcDir}: not a directory. Give the folder with your app's source, e.g. --src ./src.`);

  const stats: ClientStats = {
    root: displayPath(root, cwd), files: 0, channels: [], listeners: [], sends: [], effects: [], timings: [],
    unifiedEvents: null, unparsed: [], skipped: [], clients: [], authSignals: [],
    version: clientVersion(root, (f) => displayPath(f, cwd)),
  };
  const unreadable = (file: string, err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    stats.unparsed.push({ at: { file: displayPath(file, cwd), line: 1, column: 1, excerpt: '' }, message: `cannot be read (${code})` });
  };
  const files = listSourceFiles(root, unreadable);
  for (const file of files) {
    stats.files++;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      unreadable(file, err);
      continue;
    }
    const shown = displayPath(file, cwd);
    const ext = path.extname(file);
    if (UNREAD_EXTENSIONS.has(ext)) {
      stats.skipped.push({ at: { file: shown, line: 1, column: 1, excerpt: '' }, message: `${ext} files are not analysed: check any realtime code in it by hand` });
      continue;
    }
    const parts: FileFacts[] = [];
    try {
      if (COMPONENT_EXTENSIONS.has(ext)) {
        for (const block of scriptBlocks(ext, text)) {
          parts.push(extractFile(shown, block.code, { lang: block.lang, componentScript: block.perInstance ? path.basename(file) : null }));
        }
      } else parts.push(extractFile(shown, text));
    } catch (err) {
      // Whatever a file holds, it is a finding about that file, never the end of the run.
      const why = err instanceof Error ? err.message : String(err);
      stats.unparsed.push({ at: { file: shown, line: 1, column: 1, excerpt: '' }, message: `could not be analysed (${why})` });
      continue;
    }
    const failed = parts.find((p) => p.unparsed);
    if (failed?.unparsed) {
      stats.unparsed.push(failed.unparsed);
      continue;
    }
    for (const facts of parts) merge(stats, facts);
  }
  collectExports(stats, files);
  resolveImported(stats);
  return stats;
}

/**
 * Reads the exported constants that findings refer to: only when some listen type, event or channel name
 * was imported from another file of the app, and only from files that declare one of those names.
 */
function collectExports(stats: ClientStats, files: string[]): void {
  const needed = new Set<string>();
  const need = (v: StaticValue | null) => { if (v?.kind === 'member' && v.imported) needed.add(v.imported); };
  for (const c of stats.channels) need(c.name);
  for (const s of stats.sends) need(s.event);
  for (const l of stats.listeners) {
    need(l.event);
    if (l.typeRef) needed.add(l.typeRef.imported);
  }
  stats.exportedValues = new Map();
  if (needed.size === 0) return;
  const declares = new RegExp(`export\\s+(?:const|enum)\\s+(?:${[...needed].map((n) => n.replace(/\$/g, '\\$')).join('|')})\\b`);
  for (const file of files) {
    if (!SOURCE_ONLY.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // already reported by the first pass
    }
    if (!declares.test(text)) continue;
    for (const [name, v] of extractExports(file, text)) {
      if (!needed.has(name)) continue;
      const seen = stats.exportedValues.get(name);
      stats.exportedValues.set(name, seen === undefined || JSON.stringify(seen) === JSON.stringify(v) ? v : null);
    }
  }
}

/** Files whose exports are read (component files' scripts rarely export shared constants). */
const SOURCE_ONLY = /\.[cm]?[jt]sx?$/;

/**
 * Values imported from other files of the app: `import { CHANNEL_TYPES } from './realtime'` is resolved
 * against the files' `export const` / `export enum` values by exported name. Two files exporting the same
 * name with different values make it ambiguous: it stays unknown.
 */
function resolveImported(stats: ClientStats): void {
  const values = stats.exportedValues ?? new Map<string, Known | null>();
  const lookup = (imported: string, path: string[]): string | null => {
    let v: Known | null | undefined = values.get(imported);
    for (const key of path) v = v && typeof v === 'object' && Object.hasOwn(v, key) ? v[key] : null;
    return typeof v === 'string' ? v : null;
  };
  const resolve = (value: StaticValue): StaticValue => {
    if (value.kind !== 'member' || !value.imported) return value;
    const text = lookup(value.imported, value.property.split('.'));
    return text === null ? value : { kind: 'literal', text };
  };
  for (const c of stats.channels) c.name = resolve(c.name);
  for (const s of stats.sends) s.event = resolve(s.event);
  stats.listeners = stats.listeners.filter((l) => {
    if (l.event) l.event = resolve(l.event);
    if (!l.typeRef) return true;
    const type = lookup(l.typeRef.imported, l.typeRef.path);
    if (type !== null) l.type = type;
    // Kept only when it is a realtime listen type, or unknown on a known channel (another API's .on() otherwise).
    return type === null ? l.channel !== null : LISTEN_TYPES.has(type);
  });
}

/** Appends one file's (or script block's) facts, renumbering its channels and effects. */
function merge(stats: ClientStats, facts: FileFacts): void {
  {
    const channelBase = stats.channels.length;
    const effectBase = stats.effects.length;
    const shift = (id: number | null): number | null => (id === null ? null : id + channelBase);
    for (const c of facts.channels) {
      stats.channels.push({ ...c, id: c.id + channelBase, effect: c.effect === null ? null : c.effect + effectBase });
    }
    for (const l of facts.listeners) stats.listeners.push({ ...l, channel: shift(l.channel) });
    for (const s of facts.sends) stats.sends.push({ ...s, channel: shift(s.channel) });
    stats.effects.push(...facts.effects);
    stats.timings.push(...facts.timings);
    stats.unifiedEvents ??= facts.unifiedEvents;
    stats.clients.push(...facts.clients);
    stats.authSignals.push(...facts.authSignals);
  }
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
