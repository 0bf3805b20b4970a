/**
 * The app's realtime-js version, read from the package.json and lockfile at or above the source folder
 * (the nearest package.json that names supabase, then lockfiles from there up to the repository root,
 * as monorepos keep one lockfile at the top). Only resolved versions count as known; a range is reported
 * but not trusted.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClientVersion } from './stats.js';

const PACKAGES = ['@supabase/supabase-js', '@supabase/realtime-js'];
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'];

export function clientVersion(root: string, display: (file: string) => string): ClientVersion | null {
  const version: ClientVersion = { realtimeJs: [], declared: {}, sources: [] };
  let dir = root;
  let foundManifest = false;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (!foundManifest && existsSync(manifest)) {
      const declared = declaredRanges(manifest);
      if (Object.keys(declared).length) {
        foundManifest = true;
        version.declared = declared;
        version.sources.push(display(manifest));
      }
    }
    for (const name of LOCKFILES) {
      const file = path.join(dir, name);
      if (version.realtimeJs.length === 0 && existsSync(file)) {
        const found = lockedVersions(name, read(file));
        if (found.length) {
          version.realtimeJs = found;
          version.sources.push(display(file));
        }
      }
    }
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, '.git')) || parent === dir || (foundManifest && version.realtimeJs.length)) break;
    dir = parent;
  }
  return foundManifest || version.realtimeJs.length ? version : null;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function declaredRanges(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const json = JSON.parse(read(file)) as Record<string, Record<string, string> | undefined>;
    for (const group of ['dependencies', 'devDependencies', 'peerDependencies']) {
      for (const p of PACKAGES) {
        const range = json[group]?.[p];
        if (typeof range === 'string') out[p] = range;
      }
    }
  } catch {
    // A broken package.json says nothing about versions.
  }
  return out;
}

/** Every resolved @supabase/realtime-js version in a lockfile, sorted, without duplicates. */
export function lockedVersions(name: string, text: string): string[] {
  const found = new Set<string>();
  if (name.endsWith('.json')) {
    try {
      const json = JSON.parse(text) as { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string; dependencies?: unknown }> };
      for (const [key, v] of Object.entries(json.packages ?? {})) if (key.endsWith('node_modules/@supabase/realtime-js') && v.version) found.add(v.version);
      const walkDeps = (deps: Record<string, { version?: string; dependencies?: unknown }> | undefined) => {
        for (const [k, v] of Object.entries(deps ?? {})) {
          if (k === '@supabase/realtime-js' && v.version) found.add(v.version);
          walkDeps(v.dependencies as typeof deps);
        }
      };
      walkDeps(json.dependencies);
    } catch {
      return [];
    }
  } else if (name === 'pnpm-lock.yaml') {
    // packages: '@supabase/realtime-js@2.11.2': or /@supabase/realtime-js/2.8.4: (older lockfile versions)
    for (const m of text.matchAll(/^\s{2}['"]?\/?@supabase\/realtime-js[@/](\d+\.\d+\.\d+(?:-[\w.]+)?)/gm)) found.add(m[1] as string);
  } else if (name === 'yarn.lock') {
    // "@supabase/realtime-js@^2.10.2": then an indented version line ("2.10.2" classic, 2.10.2 berry)
    for (const m of text.matchAll(/^"?@supabase\/realtime-js@[^\n]*:\r?\n(?:\s+[^\n]*\r?\n)*?\s+version:? "?(\d+\.\d+\.\d+(?:-[\w.]+)?)/gm)) found.add(m[1] as string);
  } else if (name === 'bun.lock') {
    for (const m of text.matchAll(/"@supabase\/realtime-js@(\d+\.\d+\.\d+(?:-[\w.]+)?)"/g)) found.add(m[1] as string);
  }
  return [...found].sort(compareVersions);
}

/** Compares x.y.z versions numerically (pre-release tags sort before their release). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < 3; i++) {
    const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
    if (d) return d;
  }
  return (pa.length > 3 ? -1 : 0) - (pb.length > 3 ? -1 : 0);
}
