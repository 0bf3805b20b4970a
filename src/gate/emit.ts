import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { GROUP_END, annotations, groupStart, maskCommand, stepSummary } from '../report/github.js';
import { renderHuman, reportWidth } from '../report/human.js';
import type { RunFlags } from '../report/next-steps.js';
import { renderJson } from '../report/json.js';
import type { Report } from '../report/model.js';
import { redact, registeredSecrets } from '../secrets.js';
import type { Gate } from './options.js';

/** Values already sent to ::add-mask:: in this process: each is announced once. */
const announced = new Set<string>();

/**
 * In GitHub mode, registers every secret known so far (and the given values, e.g. the whole database URL)
 * with ::add-mask::, so the runner hides them in the log whatever prints them later. Call it as soon as the
 * secrets are parsed, before anything else is printed. The mask line is the one line written unredacted:
 * redact() would turn it into ::add-mask::***, which masks nothing. With --json the commands go to stderr,
 * so stdout stays one JSON document (the runner reads workflow commands on both streams).
 */
export function announceSecrets(io: Io, gate: Pick<Gate, 'github' | 'json'>, extra: readonly (string | undefined)[] = []): void {
  if (!gate.github) return;
  const stream = gate.json ? 'err' : 'out';
  for (const secret of [...extra, ...registeredSecrets()]) {
    if (!secret || announced.has(secret)) continue;
    announced.add(secret);
    if (io.writeUnredacted) io.writeUnredacted(stream, maskCommand(secret));
    else if (stream === 'out') io.out(maskCommand(secret));
    else io.err(maskCommand(secret));
  }
}

/**
 * Prints a report the way the gate asks (human, --quiet/--verbose, --json; GitHub groups and annotations),
 * writes --junit and the GitHub job summary, and returns the exit code the report decided. Any command that
 * builds a Report (doctor, probe-broadcast, the fix commands' verification) ends with this.
 */
export async function emitReport(report: Report, gate: Gate, io: Io, title = 'campfire doctor', next?: RunFlags): Promise<number> {
  announceSecrets(io, gate);
  const workflow = (text: string) => (gate.json ? io.err(text) : io.out(text));
  if (gate.json) {
    io.out(renderJson(report));
  } else {
    const group = gate.github ? { start: groupStart, end: GROUP_END } : undefined;
    io.out(renderHuman(report, { chalk: io.chalk, verbose: gate.verbose, quiet: gate.quiet, group, title, width: io.isTTY ? reportWidth() : 80, ...(next ? { next } : {}) }));
  }
  if (gate.github) for (const line of annotations(report)) workflow(`${line}\n`);
  // Files last: when one cannot be written, the report has still been printed.
  if (gate.junit) {
    // xmlbuilder2 costs ~100 ms to load: only runs that ask for JUnit pay it.
    const { renderJunit } = await import('../report/junit.js');
    await writeReportFile(gate.junit, renderJunit(report, title), 'JUnit report', '--junit');
  }
  if (gate.github) {
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    // The summary is a nicety of the runner's: failing to append it must not change the gate's verdict.
    if (summaryFile) {
      await writeReportFile(summaryFile, stepSummary(report, title), 'job summary', '$GITHUB_STEP_SUMMARY', true).catch(
        (err: Error) => io.err(`warning: ${err.message}\n`),
      );
    }
  }
  return report.exitCode;
}

const WHY: Record<string, string> = {
  EEXIST: 'part of the path is a file, not a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** Every byte written passes through redact(); a path that cannot be written is the user's to fix (exit 2). */
async function writeReportFile(file: string, text: string, what: string, from: string, append = false): Promise<void> {
  const target = path.resolve(file);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await (append ? appendFile : writeFile)(target, redact(text), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = WHY[code] ?? code;
    throw new UsageError(`Cannot write the ${what} to ${target} (${why}): give a writable path in ${from}.`);
  }
}
