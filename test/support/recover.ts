import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './cli.js';
import type { TestDb } from './db.js';
import { tempDir } from './fix.js';

const APP = path.join(ROOT, 'test/support/recover/app.mjs');
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
  /** What the app answers now: its pid. */
  ask(): Promise<number>;
  stop(): void;
}

/**
 * Starts a server the way a service manager would (detached, its pid in a file) and waits until it answers.
 * By default the stand-in test/support/recover/app.mjs; `command` starts another one (e.g. fixtures/app) that
 * listens on `port`.
 */
export async function startApp(opts: { port?: number; command?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  const port = opts.port ?? (await freePort());
  const pidFile = path.join(tempDir(), 'app.pid');
  const [cmd, ...args] = opts.command ?? [process.execPath, APP, String(port)];
  // Detached, like a server started by a service manager: the restart script replaces it with another.
  const child = spawn(cmd!, args, { detached: true, stdio: 'ignore', env: opts.env ?? process.env });
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  const url = `http://127.0.0.1:${port}/`;
  const app: TestApp = {
    url,
    pidFile,
    restartCmd: [process.execPath, RESTART, pidFile, cmd!, ...args].map((a) => JSON.stringify(a)).join(' '),
    pid: () => Number(readFileSync(pidFile, 'utf8')),
    ask: async () => ((await (await fetch(url)).json()) as { pid: number }).pid,
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
      await app.ask();
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
