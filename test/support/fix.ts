import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixPermissions, type FixPermissionsOptions } from '../../src/commands/fix-permissions.js';
import { fixPublication, type FixPublicationOptions } from '../../src/commands/fix-publication.js';
import type { FixReport } from '../../src/commands/fix.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { captureIo } from './io.js';
import type { TestDb } from './db.js';

const BASE = { lockTimeout: '5s', connectTimeout: '10s', statementTimeout: '15s', json: true };

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'campfire-fix-'));
}

export interface FixRun {
  code: number;
  report: FixReport;
  stderr: string;
}

/** Runs fix-publication in-process with --json and returns its exit code and document. */
export async function runFixPublication(db: TestDb, opts: Partial<FixPublicationOptions> = {}): Promise<FixRun> {
  const io = captureIo();
  const code = await fixPublication({ ...BASE, dbUrl: db.url, fullTables: 'refuse', ...opts } as FixPublicationOptions, io);
  return { code, report: JSON.parse(io.stdout()) as FixReport, stderr: io.stderr() };
}

export async function runFixPermissions(db: TestDb, opts: Partial<FixPermissionsOptions> = {}): Promise<FixRun> {
  const io = captureIo();
  const code = await fixPermissions({ ...BASE, dbUrl: db.url, policyMode: 'guide', ...opts } as FixPermissionsOptions, io);
  return { code, report: JSON.parse(io.stdout()) as FixReport, stderr: io.stderr() };
}

/** Applies with --yes and an undo file in a fresh temp folder. */
export function applyOpts(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apply: true, yes: true, undoFile: path.join(tempDir(), 'undo.sql'), ...extra };
}

export async function statuses(db: TestDb): Promise<Record<string, string>> {
  const snap = await db.snapshot();
  return Object.fromEntries(runChecks(CHECKS, { database: snap }, DEFAULT_CONFIG).map((r) => [r.id, r.status]));
}
