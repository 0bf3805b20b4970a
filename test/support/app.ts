import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const APP_SERVER = path.resolve(import.meta.dirname, '../../fixtures/app/server.mjs');

export interface FixtureApp {
  url: string;
  stop(): Promise<void>;
}

export interface FixtureAppOptions {
  databaseUrl: string;
  logFile: string;
  mismatch?: boolean;
  realtimeUrl?: string;
}

/** Starts fixtures/app on a free port as a child process; resolves once it accepts requests. */
export function startFixtureApp(opts: FixtureAppOptions): Promise<FixtureApp> {
  const child: ChildProcess = spawn(process.execPath, [APP_SERVER], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      LOG_FILE: opts.logFile,
      PORT: '0',
      CAMPFIRE_APP_BINDING_MISMATCH: opts.mismatch ? '1' : '0',
      ...(opts.realtimeUrl ? { REALTIME_URL: opts.realtimeUrl } : { REALTIME_URL: '' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, stop });
    });
    child.once('exit', (code) => reject(new Error(`fixture app exited with ${code} before listening: ${stderr}`)));
  });
}
