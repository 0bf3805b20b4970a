import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes a small source tree into a fresh temp folder and returns its path. */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'campfire-client-'));
  for (const [name, text] of Object.entries(files)) {
    const full = path.join(root, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}
