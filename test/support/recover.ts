import { existsSync, readFileSync, rmSync } from 'node:fs';
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

/** Starts the stand-in server (test/support/recover/app.mjs) and waits until it answers. */
export async function startApp(): Promise<TestApp> {
  const port = await freePort();
  const pidFile = path.join(tempDir(), 'app.pid');
  // Detached, like a server started by a service manager: the restart script replaces it with another.
  spawn(process.execPath, [APP, String(port), pidFile], { detached: true, stdio: 'ignore' }).unref();
  const url = `http://127.0.0.1:${port}/`;
  const app: TestApp = {
    url,
    pidFile,
    restartCmd: `${JSON.stringify(process.execPath)} ${JSON.stringify(RESTART)} ${port} ${JSON.stringify(pidFile)}`,
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
