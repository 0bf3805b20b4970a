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
    // realtime section (issue 4): the same probe as probe-broadcast
    .option('--supabase-url <url>', 'Supabase project URL for the realtime checks (default: $SUPABASE_URL)')
    .option('--anon-key <key>', 'anon key for the realtime checks (default: $SUPABASE_ANON_KEY); never printed')
    .option('--org <id>', 'organization id for the realtime probe channels')
    .option('--conv <id>', 'conversation id for the realtime probe channels')
    .option('--max-latency-ms <ms>', 'latency above this fails the latency checks', '1000')
    .addHelpText('after', `
Doctor only reads: it runs inside a READ ONLY transaction and never changes the database.
Examples:
  campfire doctor --db-url postgres://postgres:PASSWORD@db.PROJECT.supabase.co:5432/postgres
  DATABASE_URL=postgres://… campfire doctor --json > report.json
  campfire doctor --db-url … --supabase-url https://PROJECT.supabase.co --anon-key KEY --org ORG --conv CONV
${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { doctor } = await import('./commands/doctor.js');
      process.exitCode = await doctor(opts, io);
    });

  program
    .command('probe-broadcast')
    .description("measure Realtime broadcast end to end with the real supabase-js: joins, acks, delivery, latency, heartbeat")
    .option('--url <url>', 'Supabase project URL (default: $SUPABASE_URL)')
    .option('--key <key>', 'anon key (default: $SUPABASE_ANON_KEY); never printed')
    .option('--org <id>', 'organization id for the channel names')
    .option('--conv <id>', 'conversation id for bcast:org:{org}:conv:{conv}')
    .option('--count <n>', 'broadcasts per channel', '50')
    .option('--interval-ms <ms>', 'pause between sends', '20')
    .option('--timeout-ms <ms>', 'longest wait for a join, an ack, a heartbeat or the last delivery', '5000')
    .option('--max-latency-ms <ms>', 'delivery p95 above this fails realtime.latency', '1000')
    .option('--channels <list>', 'which of the guide\'s channels: conv, org, list', 'conv,org,list')
    .option('--event <name>', 'broadcast event name', 'message:created')
    .option('--private', 'join as private channels (needs an RLS policy on realtime.messages)')
    .option('--bindings <file>', "also join with the app's postgres_changes bindings (JSON) and check the server's echo")
    .addOption(new Option('--vsn <version>', 'Realtime protocol version').choices(['1.0.0', '2.0.0']).default('2.0.0'))
    .addOption(new Option('--transport <kind>', "WebSocket implementation: Node's global one or the ws package").choices(['native', 'ws']))
    .option('--json', 'print one JSON document on stdout')
    .option('--verbose', "show passing checks' measurements")
    .addHelpText('after', `
Two independent clients (sender, receiver) join each of the guide's channels
(bcast:org:{org}:conv:{conv}, bcast:org:{org}, bcast:org:{org}:conversations) configured as the
guide says, with broadcast ack on. The probe sends --count numbered broadcasts per channel and reports
sent/acked/received/lost/duplicated/out of order, ack and delivery latency (min/p50/p95/p99/max), the
heartbeat round trip, reconnects, and sends that silently fell back to REST. It always removes its
channels and disconnects, also on Ctrl-C (exit 130).
Examples:
  campfire probe-broadcast --url https://PROJECT.supabase.co --key $SUPABASE_ANON_KEY --org ORG --conv CONV
  SUPABASE_URL=… SUPABASE_ANON_KEY=… campfire probe-broadcast --org ORG --conv CONV --count 200 --json
${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { probeBroadcastCommand } = await import('./commands/probe-broadcast.js');
      process.exitCode = await probeBroadcastCommand(opts, io);
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
