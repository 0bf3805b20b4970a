import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './cli.js';
import type { TestDb } from './db.js';
import { tempDir } from './fix.js';

const RESTART = path.join(ROOT, 'test/support/recover/restart.mjs');

/** A port nobody listens on right now (the app binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestApp {
  url: string;
  pidFile: string;
  /** The --restart-cmd that restarts it (stop, start in the background, return at once). */
  restartCmd: string;
  pid(): number;
  stop(): void;
}

/**
 * Starts a server the way a service manager would (detached, its pid in a file) and waits until it answers.
 * `command` starts it (e.g. fixtures/app) listening on `port`, with `env` added to its environment (and to
 * the restart's, as NAME=value prefixes, since recover runs the restart command with its own environment).
 * `restartEnv` overrides some of them for the restarted server only.
 */
export async function startApp(opts: { port: number; command: string[]; env?: Record<string, string>; restartEnv?: Record<string, string> }): Promise<TestApp> {
  const { port } = opts;
  const pidFile = path.join(tempDir(), 'app.pid');
  const [cmd, ...args] = opts.command;
  // Detached, like a server started by a service manager: the restart script replaces it with another.
  const child = spawn(cmd!, args, { detached: true, stdio: 'ignore', env: { ...process.env, ...opts.env } });
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  const url = `http://127.0.0.1:${port}/`;
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const prefix = Object.entries({ ...opts.env, ...opts.restartEnv }).map(([k, v]) => `${k}=${quote(v)} `).join('');
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
  for (;;) {
    try {
      await fetch(url);
      return app;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
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
