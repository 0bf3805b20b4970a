import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { processIo, type Io } from './io.js';
import { redact } from './secrets.js';
import { VERSION } from './version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  every check passed (warnings allowed), or the command did what it was asked
  1  a check failed or errored
  2  campfire could not run: bad flags, bad config, database unreachable`;

export function buildProgram(io: Io): Command {
  const program = new Command('campfire')
    .description("Runs the Campfire v2 Real-time Troubleshooting Guide's checks and fixes against your Supabase project.")
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces for unexpected errors (secrets are still masked)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run campfire --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  program
    .command('doctor')
    .description("run the guide's diagnostic checklist and report pass/fail per item")
    .option('--db-url <url>', 'Postgres URL (default: $DATABASE_URL, then $SUPABASE_DB_URL)')
    .option('--config <file>', 'campfire.config.json with your schema, table, role and function names')
    .option('--json', 'print one JSON document on stdout')
    .option('--verbose', "show passing checks' details and timings")
    .addOption(new Option('--connect-timeout <duration>', 'give up connecting after this long').default('10s'))
    .addOption(new Option('--statement-timeout <duration>', 'cancel any query running longer than this').default('15s'))
    .option('--log <file>', 'server log to scan (repeatable; - for stdin; .gz is read transparently)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--since <time>', 'count only log lines at or after this time: ISO 8601 or relative (15m, 2h, 1d)')
    .option('--app-url <url>', 'base URL of your Campfire app, to probe /api/widget/auth and /api/widget/messages')
    .option('--org-id <id>', 'organization the widget probes sign in to (default: $CAMPFIRE_ORG_ID)')
    .option('--samples <n>', 'message requests to time', '5')
    .option('--no-write-probes', 'skip the widget probes (they write a marked probe conversation and messages)')
    .addOption(new Option('--http-timeout <duration>', 'give up on any HTTP request after this long').default('10s'))
    .addOption(new Option('--max-latency-ms <ms>', 'latency limit (p95) for every latency check').default('1000'))
    .addHelpText('after', `
Doctor only reads the database: it runs inside a READ ONLY transaction and never changes it.
Examples:
  campfire doctor --db-url postgres://postgres:PASSWORD@db.PROJECT.supabase.co:5432/postgres
  DATABASE_URL=postgres://… campfire doctor --json > report.json
  campfire doctor --log server.log --log old.log.gz --since 15m
  campfire doctor --app-url http://localhost:3001 --org-id ORG_ID --samples 10
Doctor runs every section it has input for (database, logs, app) and skips the others with the reason.
The widget probes write one conversation and --samples messages, marked campfire-doctor-<time> with an
email at campfire-doctor.invalid; --no-write-probes skips them.
${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { doctor } = await import('./commands/doctor.js');
      process.exitCode = await doctor(opts, io);
    });

  program
    .command('checks')
    .description('list every check: id, guide section, what it verifies, which command fixes it')
    .option('--json', 'as JSON')
    .option('--markdown', 'as the Markdown table in the README')
    .action(async (opts) => {
      const { listChecks } = await import('./commands/checks.js');
      process.exitCode = listChecks(opts, io);
    });

  return program;
}

/** Runs the CLI; returns the exit code. Usage errors are one line and exit 2, never a stack trace. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --version exit 0; every other commander error is a usage error (it printed the line).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`${io.chalk.red('error:')} ${err.message}\n`);
      if (debug) io.err(`${err.stack ?? ''}\n`);
      return EXIT.usage;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(`${io.chalk.red('campfire crashed:')} ${redact(e.message)}\n`);
    io.err(debug ? `${e.stack ?? ''}\n` : 'This is a bug in campfire. Run again with --debug for the stack trace and report it.\n');
    return EXIT.usage;
  }
}
