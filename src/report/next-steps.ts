/**
 * "What to do next" at the end of the human report: the commands to run, in order, with the inputs this
 * run used, so the on-call engineer at 3 a.m. copies lines instead of composing them. Every line must run as
 * printed: commands go through `npx campfire` (a project installs campfire as a devDependency, so a bare
 * `campfire` is not on PATH), and a database URL is printed without its password: PostgreSQL clients,
 * campfire included, then take it from PGPASSWORD or ~/.pgpass.
 */
import { SECTIONS, type CheckResult } from '../checks/types.js';

/** How campfire is run in a project that installed it: README "Use it in your project". */
export const RUN = 'npx campfire';

/** A check's fix ("campfire fix-publication") as a command that runs where campfire is a project dependency. */
export function runnable(command: string): string {
  return command.startsWith('campfire ') ? `npx ${command}` : command;
}

/** The flags a run was given, as they can be printed (no password, no key). */
export interface RunFlags {
  /** Flags that reach the database, e.g. ['--db-url', 'postgres://u@h/db']; empty when it came from the environment. */
  database: string[];
  /** Every other input of the run (--log, --src, --app-url, …), for running doctor again. */
  inputs: string[];
  /** Set when the URL given had a password, which the printed commands leave out. */
  passwordLeftOut?: boolean;
  /** Set when an anon key was given with --anon-key: the printed command reads it from the environment. */
  keyFromEnv?: boolean;
}

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (/^"\$[A-Z_]+"$/.test(arg)) return arg; // "$SUPABASE_ANON_KEY": expanded by the shell on purpose
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

const line = (args: string[]) => args.map(shellQuote).join(' ');

/** The fix commands that change the database: they take the run's connection flags and --apply. */
const APPLYING = new Set(['fix-publication', 'fix-permissions']);
const applying = (fix: string) => APPLYING.has(fix.split(' ')[1] ?? '') && fix.split(' ').length === 2;

/** A check's "Fix:" line: runnable as printed, with the database this run checked when the command takes one. */
export function fixCommand(fix: string, flags?: RunFlags): string {
  if (!flags || !applying(fix)) return runnable(fix);
  return `${RUN} ${line([...fix.split(' ').slice(1), ...flags.database])}`;
}

/** The commands, in order: each fix the failing checks name (guide order), then doctor again. */
export function nextSteps(checks: readonly CheckResult[], flags: RunFlags): string[] {
  // The guide's order: its sections first to last (the publication before permissions), then the registry's.
  const order = Object.keys(SECTIONS);
  const red = checks
    .filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn')
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order.indexOf(a.c.section) - order.indexOf(b.c.section) || a.i - b.i)
    .map(({ c }) => c);
  if (!red.length) return [];
  const fixes = [...new Set(red.map((c) => c.fix).filter((f): f is string => Boolean(f && f.startsWith('campfire '))))];
  const steps: string[] = [];
  // Other campfire commands a check names (e.g. one that writes example policies) run as they are given.
  for (const fix of fixes.filter((f) => !applying(f))) steps.push(runnable(fix));
  const apply = fixes.filter(applying);
  for (const fix of apply) steps.push(`${RUN} ${line([...fix.split(' ').slice(1), ...flags.database])}`);
  for (const fix of apply) steps.push(`${RUN} ${line([...fix.split(' ').slice(1), ...flags.database, '--apply'])}`);
  steps.push(`${RUN} ${line(['doctor', ...flags.database, ...flags.inputs])}`);
  return steps;
}

/** Notes under the commands: where the password and the key come from. */
export function nextNotes(flags: RunFlags, hasFixes: boolean): string[] {
  const notes: string[] = [];
  if (hasFixes) notes.push('The first commands print each plan and change nothing; --apply runs it (one transaction, verified, with an undo script) and asks first on a terminal (add -y where there is none).');
  if (flags.passwordLeftOut) notes.push('The database URL is shown without its password: set PGPASSWORD (or use ~/.pgpass) before running these.');
  if (flags.keyFromEnv) notes.push('Set SUPABASE_ANON_KEY to the anon key first: campfire never prints it.');
  return notes;
}
