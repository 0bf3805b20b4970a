import { execa } from 'execa';
import { redact } from '../secrets.js';

export interface RestartResult {
  ok: boolean;
  /** One line: what happened (exit code, signal, timeout). */
  message: string;
  exitCode: number | null;
  /** stdout and stderr interleaved as they came, already redacted. */
  output: string;
}

/** The most the report keeps of a restart's output: the end, where the errors are. */
const MAX_OUTPUT = 20_000;

/**
 * Runs the team's restart command through the shell (it is a command line they wrote, with pipes and
 * variables), streams its output line by line as it comes, and checks its exit code. It runs in a process
 * group of its own, so a command still running at the timeout is stopped whole (SIGTERM to the group, then
 * SIGKILL): killing only the shell would leave its children holding the output pipe open. Being its own
 * group also means a Ctrl-C at the terminal reaches campfire only, which lets the restart finish (bounded
 * by the timeout) rather than leaving it half done.
 */
export async function runRestart(command: string, timeoutMs: number, onOutput: (text: string) => void): Promise<RestartResult> {
  let output = '';
  const sub = execa(command, { shell: true, detached: true, reject: false, all: true, stdin: 'ignore', buffer: false });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (sub.pid) process.kill(-sub.pid, signal);
    } catch {
      /* the group is gone already */
    }
  };
  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup('SIGTERM');
    forceKill = setTimeout(() => killGroup('SIGKILL'), 2000);
  }, timeoutMs);
  sub.all?.on('data', (chunk: Buffer) => {
    const text = redact(chunk.toString());
    output += text;
    onOutput(text);
  });
  const r = await sub.finally(() => {
    clearTimeout(timer);
    clearTimeout(forceKill);
  });
  if (output.length > MAX_OUTPUT) output = `[… ${output.length - MAX_OUTPUT} earlier characters left out]\n${output.slice(-MAX_OUTPUT)}`;
  if (timedOut) return { ok: false, exitCode: r.exitCode ?? null, output, message: `the restart command was still running after --restart-timeout ${timeoutMs}ms and was stopped` };
  if (r.failed && r.exitCode === undefined) {
    return { ok: false, exitCode: null, output, message: `the restart command could not run${r.signal ? ` (killed by ${r.signal})` : ''}: ${redact(r.shortMessage ?? String(r.cause ?? ''))}` };
  }
  if (r.exitCode !== 0) return { ok: false, exitCode: r.exitCode ?? null, output, message: `the restart command exited with code ${r.exitCode}` };
  return { ok: true, exitCode: 0, output, message: 'the restart command exited with code 0' };
}

export interface AppWait {
  ok: boolean;
  message: string;
}

/**
 * After a restart, polls the app until it answers again: any HTTP response below 500 means the server is
 * up and serving (a 401 or 404 from the widget API is an answer; a 502 from a proxy in front is not).
 */
export async function waitForApp(url: string, timeoutMs: number, signal?: AbortSignal): Promise<AppWait> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (signal?.aborted) return { ok: false, message: `stopped waiting for ${url}: interrupted` };
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(Math.min(3000, Math.max(1, deadline - Date.now()))) });
      await res.body?.cancel();
      if (res.status < 500) return { ok: true, message: `${url} answered (HTTP ${res.status})` };
      last = `HTTP ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      last = cause?.code ?? (err as Error).name;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ok: false, message: `${url} did not answer within ${timeoutMs}ms after the restart (last: ${last})` };
}
