import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './cli.js';
import type { TestDb } from './db.js';
import { tempDir } from './fix.js';

const RESTART = path.join(ROOT, 'test/support/recover/restart.mjs');

export interface TestApp {
  url: string;
  pidFile: string;
  /** The --restart-cmd that restarts it (stop, start in the background, return at once). */
  restartCmd: string;
  pid(): number;
  stop(): void;
}

/**
 * Starts fixtures/app the way a service manager would (detached, its pid in a file) on a port it picks itself
 * (PORT=0: no race with other tests for a "free" port), and waits until it says it is listening. `env` is
 * added to its environment and to the restart's (as NAME=value prefixes, with PORT pinned to the port it
 * got, since recover runs the restart command with its own environment); `restartEnv` overrides some of
 * them for the restarted server only.
 */
export async function startApp(opts: { command: string[]; env?: Record<string, string>; restartEnv?: Record<string, string> }): Promise<TestApp> {
  const pidFile = path.join(tempDir(), 'app.pid');
  const [cmd, ...args] = opts.command;
  // Detached, like a server started by a service manager: the restart script replaces it with another.
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env, PORT: '0' } });
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(`${m[1]}/`);
    });
    child.once('exit', (code) => reject(new Error(`${cmd} ${args.join(' ')} exited with ${code} before listening: ${err}`)));
  });
  // Keep reading what it prints (so it never blocks on a full pipe) without holding the test process open.
  for (const stream of [child.stdout, child.stderr] as unknown as { unref(): void }[]) stream.unref();
  const port = new URL(url).port;
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const prefix = Object.entries({ ...opts.env, PORT: port, ...opts.restartEnv }).map(([k, v]) => `${k}=${quote(v)} `).join('');
  const app: TestApp = {
    url,
    pidFile,
    restartCmd: prefix + [process.execPath, RESTART, pidFile, cmd!, ...args].map(quote).join(' '),
    pid: () => Number(readFileSync(pidFile, 'utf8')),
    stop: () => {
      if (!existsSync(pidFile)) return;
      try {
        process.kill(app.pid(), 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(pidFile, { force: true });
    },
  };
  return app;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The test database's URL with a password in it (trust servers ignore it), so the tests can look for leaks. */
export function urlWithPassword(d: TestDb): { url: string; password: string } {
  const u = new URL(d.url);
  if (!u.password) u.password = 'trust-ignores-this-pw';
  return { url: u.toString(), password: decodeURIComponent(u.password) };
}

/** Runs an undo script the way psql -f would: one multi-statement simple query (it holds BEGIN … COMMIT). */
export async function runUndo(d: TestDb, file: string): Promise<void> {
  await d.query(readFileSync(file, 'utf8'));
}
