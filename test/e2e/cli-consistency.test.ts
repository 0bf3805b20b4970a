import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { campfire } from '../support/cli.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { tempDir } from '../support/fix.js';
import { KEY, startServer } from '../support/realtime.js';
import { urlWithPassword } from '../support/recover.js';
import { havePsql, runPrintedUndo } from '../support/undo.js';

/** Issue 15, "Consistent commands": one name per input, the same conventions in every command's help. */
async function commands(): Promise<string[]> {
  const help = (await campfire(['--help'])).stdout;
  return [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

let server: RealtimeServer | undefined;
const dbs: TestDb[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});

describe('every command speaks the same way', () => {
  it('help shows numeric and duration defaults as given (5, 10s), never quoted', async () => {
    const all = await commands();
    expect(all).toContain('recover');
    for (const c of all) {
      const help = (await campfire([c, '--help'])).stdout;
      // Numbers and durations are shown as typed: (default: 5), (default: 10s), never (default: "5").
      expect(help, c).not.toMatch(/\(default: "\d/);
    }
    expect((await campfire(['doctor', '--help'])).stdout).toMatch(/--samples <n>\s+message requests to time \(default: 5\)/);
  });

  it('one name per input: --supabase-url, --anon-key, --org-id and durations wherever they are taken', async () => {
    const probe = (await campfire(['probe-broadcast', '--help'])).stdout;
    for (const flag of ['--supabase-url <url>', '--anon-key <key>', '--org-id <id>', '--timeout <duration>', '--interval <duration>']) expect(probe).toContain(flag);
    // The old names still work but are not offered twice.
    for (const old of ['--url <url>', '--key <key>', '--org <id>', '--timeout-ms', '--interval-ms']) expect(probe).not.toContain(old);
    for (const c of ['doctor', 'recover']) {
      const help = (await campfire([c, '--help'])).stdout;
      expect(help, c).toContain('--org-id <id>');
      expect(help, c).toContain('--bindings <file>');
      expect(help, c).not.toMatch(/--org <id>/);
    }
    for (const c of ['fix-publication', 'fix-permissions', 'recover']) expect((await campfire([c, '--help'])).stdout, c).toMatch(/-y, --yes/);
  });

  it("probe-broadcast's help promises only the flags it takes; recover's example URL is the app's base", async () => {
    const probe = await campfire(['probe-broadcast', '--help']);
    expect(probe.stdout).not.toContain('--fail-on');
    const rejected = await campfire(['probe-broadcast', '--fail-on', 'warn']);
    expect(rejected.exitCode).toBe(2);
    const recover = (await campfire(['recover', '--help'])).stdout;
    expect(recover).not.toMatch(/--app-url \S*\/health/);
    expect(recover).not.toMatch(/^\s+campfire /m);
  });

  it('probe-broadcast with the shared names: headed with its own name, measurements within 100 columns', async () => {
    server = await startServer();
    const r = await campfire(['probe-broadcast', '--supabase-url', server.url, '--anon-key', KEY, '--org-id', 'o', '--conv', 'c', '--count', '5', '--interval', '1ms', '--timeout', '5s', '--no-exposure'], { env: { NO_COLOR: '1' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^campfire probe-broadcast — realtime /);
    expect(r.stdout).not.toContain('campfire doctor');
    for (const line of r.stdout.split('\n').filter((l) => !l.startsWith('campfire probe-broadcast — '))) expect(line.length, line).toBeLessThanOrEqual(100);
    // A bad duration names the flag that was given.
    const bad = await campfire(['probe-broadcast', '--supabase-url', server.url, '--anon-key', KEY, '--org-id', 'o', '--conv', 'c', '--timeout', 'soon']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: --timeout must be a duration/);
  });

  it('doctor --bindings joins with the app bindings (realtime.bindings judged, not skipped); without the probe inputs it is a usage error', async () => {
    server = await startServer({ alterBindings: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-bindings-'));
    const file = path.join(dir, 'bindings.json');
    writeFileSync(file, JSON.stringify([{ event: '*', schema: 'public', table: 'messages' }]));
    const r = await campfire(['doctor', '--supabase-url', server.url, '--anon-key', KEY, '--org-id', 'o', '--conv', 'c', '--bindings', file, '--json']);
    const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'realtime.bindings');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/mismatch between server and client bindings/);
    const alone = await campfire(['doctor', '--src', 'fixtures/client', '--bindings', file]);
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toMatch(/--bindings is checked by joining Realtime: give --supabase-url/);
  });

  it('-y is --yes for apply, and the undo command it prints restores that database, as printed', async () => {
    const d = await createDatabase('broken');
    dbs.push(d);
    const before = await d.snapshot();
    const { url, password } = urlWithPassword(d);
    const dir = tempDir();
    const r = await campfire(['fix-permissions', '--db-url', url, '--apply', '-y'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await d.snapshot()).not.toEqual(before);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/^ {2}To undo: psql '?postgres:\/\/[^ ']+'? -v ON_ERROR_STOP=1 -f /m);
    expect(out).toContain('PGPASSWORD');
    expect(out).not.toContain(password);
    if (!(await havePsql())) {
      console.log('skipped running the printed undo command: psql is not installed here');
      return;
    }
    // Run from another folder's point of view: psql's defaults (PGDATABASE=postgres) point elsewhere.
    const undone = await runPrintedUndo(out, password, dir);
    expect(undone.exitCode, undone.stderr).toBe(0);
    expect(await d.snapshot()).toEqual(before);
  });
});
