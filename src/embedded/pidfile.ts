import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';

/** What postmaster.pid in an embedded cluster's data directory says, checked against the live process table. */
export type ServerState =
  | { kind: 'none' }
  /** A live postgres serving our data directory. */
  | { kind: 'running'; pid: number; port: number }
  /** The file is left over from a server that is gone (killed run, reboot) or its pid now belongs to another program. */
  | { kind: 'stale'; pid: number; why: string };

export function pidFilePath(data: string): string {
  return path.join(data, 'postmaster.pid');
}

export function readServerState(data: string): ServerState {
  let text: string;
  try {
    text = readFileSync(pidFilePath(data), 'utf8');
  } catch {
    return { kind: 'none' };
  }
  // Line 1: postmaster pid; line 2: data directory; line 4: port (PostgreSQL's documented layout).
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: 0, why: 'postmaster.pid is unreadable' };
  if (!isAlive(pid) || isZombie(pid)) return { kind: 'stale', pid, why: `process ${pid} is gone` };
  if (!isOurPostgres(pid, data, lines[1] ?? '')) return { kind: 'stale', pid, why: `process ${pid} is not a postgres serving ${data}` };
  return { kind: 'running', pid, port };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A killed postmaster whose parent has not reaped it yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    // /proc/PID/stat: "pid (comm) state …"; comm may contain spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is a postgres serving `data`. A pid from an old file may have been reused by any program:
 * campfire only ever signals a process it has identified as its own server.
 */
function isOurPostgres(pid: number, data: string, fileDataDir: string): boolean {
  if (!sameDir(fileDataDir, data)) return false;
  const cmd = commandLine(pid);
  if (cmd === undefined) return false;
  return /(^|\/)postgres(\0|\s|$)/.test(cmd) && cmd.includes(data);
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* no /proc (macOS): ask ps */
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function sameDir(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Removes a stale postmaster.pid so the next start does not mistake it for a running server. */
export function removeStalePidFile(data: string): void {
  rmSync(pidFilePath(data), { force: true });
}
