import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root: dist/ and src/ both sit one level below it, beside sql/ and fixtures/. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function sqlPath(name: string): string {
  return path.join(packageRoot, 'sql', name);
}
