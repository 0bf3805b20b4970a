import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../paths.js';

/** The one Supabase baseline file, shared with the demo and the test fixtures. */
export const BASELINE_FILE = path.join(packageRoot, 'fixtures', 'db', '00-supabase-baseline.sql');

let text: Promise<string> | undefined;

export function baselineSql(): Promise<string> {
  return (text ??= readFile(BASELINE_FILE, 'utf8'));
}

/** Names the template database after the baseline's content: a changed baseline gets a new template. */
export async function baselineTag(): Promise<string> {
  return createHash('sha256').update(await baselineSql()).digest('hex').slice(0, 12);
}
