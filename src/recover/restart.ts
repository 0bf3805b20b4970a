import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { scrub, StreamScrubber } from '../scrub.js';

export interface RestartResult {
  ok: boolean;
  /** One line: what happened (exit code, signal, timeout). */
  message: string;
  exitCode: number | null;
  /** stdout and stderr interleaved as they came, scrubbed, bounded: its beginning and its end. */
  output: string;
}

/**
 * What the report keeps of a restart's output: the beginning (what started) and the end (where the errors
 * are). Nothing else is held: a command that prints 700 MB streams through in constant memory.
 */
export const OUTPUT_HEAD = 4_000;
export const OUTPUT_TAIL = 16_000;

/** The first OUTPUT_HEAD and last OUTPUT_TAIL characters of a stream, and how many fell in between. */
export class HeadTail {
  private head = '';
  private tail = '';
  private dropped = 0;

  add(text: string): void {
    if (this.head.length < OUTPUT_HEAD) {
      const take = OUTPUT_HEAD - this.head.length;
      this.head += text.slice(0, take);
      text = text.slice(take);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > 2 * OUTPUT_TAIL) this.trim();
  }

  private trim(): void {
    const over = this.tail.length - OUTPUT_TAIL;
    if (over > 0) {
      this.dropped += over;
      this.tail = this.tail.slice(over);
    }
  }

  toString(): string {
    this.trim();
    if (!this.dropped) return this.head + this.tail;
    return `${this.head}\n[… ${this.dropped} characters of output left out …]\n${this.tail}`;
  }
}

/**
 * Runs the team's restart command through the shell (it is a command line they wrote, with pipes and
 * variables), streams its output as it comes, and checks its exit code. It runs in a process group of its
 * own, so a command still running at the timeout is stopped whole (SIGTERM to the group, then SIGKILL):
 * killing only the shell would leave its children holding the output pipe open. Being its own group also
 * means a Ctrl-C at the terminal reaches campfire only, which lets the restart finish (bounded by the
 * timeout) rather than leaving it half done.
 *
 * The output is relayed text: it is scrubbed of credentials and terminal escapes across chunk boundaries
 * (StreamScrubber), and only its head and tail are kept. While campfire's stdout cannot take more (a slow
 * pipe), the command's output is paused, so nothing queues up in memory.
 */
export async function runRestart(command: string, timeoutMs: number, onOutput: (text: string) => void): Promise<RestartResult> {
  const kept = new HeadTail();
  const scrubber = new StreamScrubber();
  const decoder = new StringDecoder('utf8');
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
  const release = (text: string) => {
    if (!text) return;
    kept.add(text);
    onOutput(text);
  };
  const all = sub.all;
  all?.on('data', (chunk: Buffer) => {
    release(scrubber.push(decoder.write(chunk)));
    if (process.stdout.writableNeedDrain && all) {
      all.pause();
      process.stdout.once('drain', () => all.resume());
    }
  });
  const r = await sub.finally(() => {
    clearTimeout(timer);
    clearTimeout(forceKill);
  });
  release(scrubber.push(decoder.end()) + scrubber.end());
  const output = kept.toString();
  if (timedOut) return { ok: false, exitCode: r.exitCode ?? null, output, message: `the restart command was still running after --restart-timeout ${timeoutMs}ms and was stopped` };
  if (r.failed && r.exitCode === undefined) {
    return { ok: false, exitCode: null, output, message: `the restart command could not run${r.signal ? ` (killed by ${r.signal})` : ''}: ${scrub(r.shortMessage ?? String(r.cause ?? ''))}` };
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
