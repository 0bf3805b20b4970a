import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { addGateOptions } from './gate/options.js';
import { processIo, type Io } from './io.js';
import { scrub } from './scrub.js';
import { VERSION } from './version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  every check passed (warnings allowed unless --fail-on warn), or the command did what it was asked
  1  a check failed or errored (or warned, with --fail-on warn)
  2  campfire could not run: bad flags, bad config, database unreachable`;

const EXIT_CODES_FIX = `
Exit codes:
  0  applied and verified, planned (dry run), or nothing to do
  1  refused, verification failed (rolled back), lock not granted, or another fix is running
  2  bad flags or config, --apply without a terminal and without --yes, database unreachable`;

/** An option whose default shows as given in --help: `(default: 5)`, `(default: 10s)`, not `(default: "5")`. */
const withDefault = (flags: string, description: string, value: string) => new Option(flags, description).default(value, value);
/** An old flag name kept working (not listed in --help) after the input got one name across commands. */
const alias = (flags: string, now: string) => new Option(flags, `old name of ${now}`).hideHelp();

export function buildProgram(io: Io): Command {
  const program = new Command('campfire')
    .description("Runs the Campfire v2 Real-time Troubleshooting Guide's checks and fixes against your Supabase project.")
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces for unexpected errors (secrets are still masked)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run campfire --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  const doctorCommand = program
    .command('doctor')
    .description("run the guide's diagnostic checklist and report pass/fail per item")
    .option('--db-url <url>', 'Postgres URL (default: $DATABASE_URL, then $SUPABASE_DB_URL)')
    .option('--config <file>', 'campfire.config.json with your schema, table, role and function names')
    .option('--json', 'print one JSON document on stdout')
    .option('--src <dir>', "check the app's client code in DIR (TS/TSX/JS/JSX; skips node_modules and .gitignored files), with or without a database")
    .option('--sarif <file>', 'write the client findings (those with file locations) as SARIF 2.1.0 for GitHub code scanning')
    .addOption(withDefault('--connect-timeout <duration>', 'give up connecting after this long', '10s'))
    .addOption(withDefault('--statement-timeout <duration>', 'cancel any query running longer than this', '15s'))
    // realtime section (issue 4): the same probe as probe-broadcast
    .option('--supabase-url <url>', 'Supabase project URL for the realtime checks (default: $SUPABASE_URL)')
    .option('--anon-key <key>', 'anon key for the realtime checks (default: $SUPABASE_ANON_KEY); never printed')
    .addOption(alias('--org <id>', '--org-id'))
    .option('--conv <id>', 'conversation id for the realtime probe channels')
    .option('--bindings <file>', "realtime.bindings: also join with the app's postgres_changes bindings (JSON) and check the server's echo")
    .option('--private', "the app's channels are private (config: { private: true }): probe them so")
    .option('--access-token <jwt>', "with --private: a signed-in session's JWT the probe joins with (default: $CAMPFIRE_ACCESS_TOKEN); never printed")
    .option('--log <file>', 'server log to scan (repeatable; - for stdin; .gz is read transparently)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--since <time>', 'count only log lines at or after this time: ISO 8601 or relative (15m, 2h, 1d)')
    .option('--app-url <url>', 'base URL of your Campfire app, to probe /api/widget/auth and /api/widget/messages')
    .option('--org-id <id>', 'organization id: the widget probes sign in to it (default: $CAMPFIRE_ORG_ID) and the realtime probe joins its channels')
    .addOption(withDefault('--samples <n>', 'message requests to time', '5'))
    .option('--no-write-probes', 'skip the widget probes (they write a marked probe conversation and messages)')
    .option('--rehearse', 'also act out the widget path as anon and authenticated in a transaction that is always rolled back (rehearsal.widget-path; --org-id sets the organization)')
    .addOption(withDefault('--http-timeout <duration>', 'give up on any HTTP request after this long', '10s'))
    .addOption(withDefault('--max-latency-ms <ms>', 'latency limit (p95) for every latency check', '1000'))
    // shadow database (issue 17): the database checks on a database built from the migrations, no credentials
    .option('--migrations <dir>', 'check a shadow database built from this Supabase migrations folder (<version>_<name>.sql, in name order) instead of --db-url')
    .option('--seed <file>', 'with --migrations: apply this seed file after the migrations')
    .option('--shadow <engine>', 'with --migrations: embedded (default; PostgreSQL 17, no Docker) or container (supabase/postgres through Docker)')
    .option('--shadow-url <url>', 'with --migrations: build the shadow on this server instead (a new database, dropped afterwards)')
    .option('--shadow-image <image>', 'with --shadow container: the image (default supabase/postgres:15.8.1.085)')
    .option('--skip-missing-extensions', 'with --migrations: step over CREATE EXTENSION of an extension the shadow server lacks (see README)')
    .addHelpText('after', `
Doctor only reads the database: it runs inside a READ ONLY transaction and never changes it.
Examples:
  npx campfire doctor --db-url postgres://postgres:PASSWORD@db.PROJECT.supabase.co:5432/postgres
  DATABASE_URL=postgres://… npx campfire doctor --json > report.json
  npx campfire doctor --src ./src --sarif campfire.sarif    # client code only, no database
  npx campfire doctor --migrations supabase/migrations --fail-on warn   # a shadow built from the migrations: no secrets
  npx campfire doctor --supabase-url https://PROJECT.supabase.co --anon-key "$SUPABASE_ANON_KEY" --org-id ORG --conv CONV
  npx campfire doctor --log server.log --log old.log.gz --since 15m
  npx campfire doctor --app-url http://localhost:3001 --org-id ORG_ID --samples 10
Doctor runs every section it has input for (database, logs, app) and skips the others with the reason.
The widget probes write one conversation and --samples messages, marked campfire-doctor-<time> with an
email at campfire-doctor.invalid; --no-write-probes skips them.
${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { doctor } = await import('./commands/doctor.js');
      const { unifyOrg } = await import('./realtime/options.js');
      unifyOrg(opts);
      process.exitCode = await doctor(opts, io);
    });
  addGateOptions(doctorCommand);

  program
    .command('probe-broadcast')
    .description("measure Realtime broadcast end to end with the real supabase-js: joins, acks, delivery, latency, heartbeat")
    .option('--supabase-url <url>', 'Supabase project URL (default: $SUPABASE_URL)')
    .option('--anon-key <key>', 'anon key (default: $SUPABASE_ANON_KEY); never printed')
    .option('--org-id <id>', 'organization id for the channel names')
    .option('--conv <id>', 'conversation id for bcast:org:{org}:conv:{conv}')
    .addOption(withDefault('--count <n>', 'broadcasts per channel', '50'))
    .addOption(withDefault('--interval <duration>', 'pause between sends', '20ms'))
    .addOption(withDefault('--timeout <duration>', 'longest wait for a join, an ack, a heartbeat or the last delivery', '5s'))
    .addOption(withDefault('--max-latency-ms <ms>', 'delivery p95 above this fails realtime.latency', '1000'))
    .addOption(withDefault('--channels <list>', "which of the guide's channels: conv, org, list", 'conv,org,list'))
    .addOption(withDefault('--event <name>', 'broadcast event name', 'message:created'))
    .addOption(alias('--url <url>', '--supabase-url'))
    .addOption(alias('--key <key>', '--anon-key'))
    .addOption(alias('--org <id>', '--org-id'))
    .addOption(alias('--interval-ms <ms>', '--interval'))
    .addOption(alias('--timeout-ms <ms>', '--timeout'))
    .option('--private', 'join as private channels (needs an RLS policy on realtime.messages)')
    .option('--access-token <jwt>', "a signed-in session's JWT for the app's side of private channels (default: $CAMPFIRE_ACCESS_TOKEN); never printed")
    .option('--no-exposure', 'skip the outsider test (an anon-key client joining the channels)')
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
heartbeat round trip, reconnects, and sends that silently fell back to REST. Then an outsider holding
only the anon key and no session joins each channel and listens (realtime.channel-exposure): on a public
channel it hears everything; a private channel must refuse it. With --private --access-token, a session
of --org-id also tries another organisation's channel, which must be refused. It always removes its
channels and disconnects, also on Ctrl-C (exit 130).
Examples:
  npx campfire probe-broadcast --supabase-url https://PROJECT.supabase.co --anon-key "$SUPABASE_ANON_KEY" --org-id ORG --conv CONV
  SUPABASE_URL=… SUPABASE_ANON_KEY=… npx campfire probe-broadcast --org-id ORG --conv CONV --count 200 --json

Exit codes:
  0  every realtime check passed
  1  a realtime check failed (lost, duplicated or late broadcasts, a join or heartbeat that failed)
  2  campfire could not run: bad flags, no URL or key
  130  interrupted (Ctrl-C): the probe removed its channels and disconnected`)
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

  const fixOptions = (cmd: Command) =>
    cmd
      .option('--db-url <url>', 'Postgres URL (default: $DATABASE_URL, then $SUPABASE_DB_URL)')
      .option('--config <file>', 'campfire.config.json with your schema, table, role and function names')
      .option('--apply', 'run the plan (default: print it and change nothing)')
      .option('-y, --yes', 'apply without asking (required with --apply when there is no terminal)')
      .addOption(withDefault('--lock-timeout <duration>', 'give up (and change nothing) when a lock is not granted within this', '5s'))
      .option('--undo-file <file>', 'where apply writes the undo script (default: .campfire/undo/<timestamp>-<command>.sql)')
      .option('--write-migration <dir>', 'also write the plan as a Supabase migration, DIR/<UTC timestamp>_campfire_<command>.sql')
      .option('--json', 'print the plan and the outcome as one JSON document on stdout')
      .addOption(withDefault('--connect-timeout <duration>', 'give up connecting after this long', '10s'))
      .addOption(withDefault('--statement-timeout <duration>', 'cancel any query running longer than this', '15s'));
  const FIX_HELP = `
Apply runs in one transaction: SET LOCAL lock_timeout, an advisory lock (one campfire fix at a time), the
catalog re-read and re-planned under that lock, the steps, then the doctor checks the plan repairs; it
commits only if they pass. Any error rolls everything back. Every apply writes an undo script.`;

  fixOptions(program.command('fix-publication'))
    .description('make the realtime publication publish scalar columns only, without breaking UPDATE/DELETE (dry run unless --apply)')
    .addOption(new Option('--full-tables <choice>', 'REPLICA IDENTITY FULL tables cannot carry a column list: refuse, or publish them without one').choices(['refuse', 'no-column-list']).default('refuse'))
    .addOption(new Option('--replica-identity <choice>', 'switch REPLICA IDENTITY FULL tables to DEFAULT (primary key) so they can carry a column list').choices(['default']))
    .addHelpText('after', `${FIX_HELP}
Column lists always keep the replica identity columns. A FOR ALL TABLES publication is dropped and created
again (same tables, same publish options) in the same transaction. supabase_realtime_messages_publication
is never touched.
Examples:
  npx campfire fix-publication --db-url postgres://…                  # print the plan
  npx campfire fix-publication --apply --yes --write-migration supabase/migrations
${EXIT_CODES_FIX}`)
    .action(async (opts) => {
      const { fixPublication } = await import('./commands/fix-publication.js');
      process.exitCode = await fixPublication(opts, io);
    });

  fixOptions(program.command('fix-permissions'))
    .description("add the guide's missing grants, policies, SECURITY DEFINER and RLS, each only when missing (dry run unless --apply)")
    .addOption(new Option('--policy-mode <mode>', "how to write realtime_conversations' INSERT/UPDATE policies: organization (recommended: scoped to the app's app.current_organization_id) or guide (the guide's WITH CHECK (true))").choices(['organization', 'guide']).default('organization'))
    .addHelpText('after', `${FIX_HELP}
RLS is enabled on a table only when every role that reads or writes it today keeps a policy that allows
it; otherwise the table is reported as needing your decision and left as it is. anon/authenticated are
never granted anything on a table whose RLS stays off. --policy-mode organization (the default) scopes
the realtime_conversations policies to app.current_organization_id; guide writes WITH CHECK (true).
Examples:
  npx campfire fix-permissions --db-url postgres://…
  npx campfire fix-permissions --apply --yes --json
${EXIT_CODES_FIX}`)
    .action(async (opts) => {
      const { fixPermissions } = await import('./commands/fix-permissions.js');
      process.exitCode = await fixPermissions(opts, io);
    });

  program
    .command('private-channels')
    .description('who can listen on public channels, the way out (private channels + realtime.messages policies), and example policies')
    .option('--claim <path>', "the JWT claim holding a session's organisation id, e.g. app_metadata.org_id (required)")
    .option('--topic-prefix <prefix>', "what every organisation topic starts with before the organisation id", 'bcast:org:')
    .option('--role <role>', 'the role sessions join as (anonymous sign-ins are authenticated too)', 'authenticated')
    .option('--write-migration <dir>', 'write the example policies as a Supabase migration, DIR/<UTC timestamp>_campfire_private_channels.sql, to review')
    .option('--json', 'print everything as one JSON document')
    .addHelpText('after', `
Changes nothing in the database: the policies depend on how your app's sessions carry their organisation,
which campfire cannot see. Verify the result with probe-broadcast --private --access-token.
Examples:
  npx campfire private-channels --claim app_metadata.org_id
  npx campfire private-channels --claim app_metadata.org_id --write-migration supabase/migrations
${EXIT_CODES_HELP}`)
    .action(async (opts) => {
      const { privateChannels } = await import('./commands/private-channels.js');
      process.exitCode = await privateChannels(opts, io);
    });

  program
    .command('demo')
    .description('see campfire work with zero setup: a broken Campfire on a throwaway local PostgreSQL, diagnosed and repaired')
    .option('--keep', 'leave the demo server running and print its URL, to try every command on it')
    .option('--stop', 'stop a demo server left running by --keep')
    .addHelpText('after', `
Starts an embedded PostgreSQL 17 (data in your cache dir, e.g. ~/.cache/campfire/demo, reused between runs),
loads the Supabase baseline and a broken Campfire schema into a fresh database campfire_demo, then runs
doctor, shows the fix-publication and fix-permissions plans, applies them, and runs doctor again. What
fix-permissions leaves to a person is explained, then done the way the demo app's owner would, labelled
as such; the last doctor is green. The server is stopped at the end unless --keep.
Exit codes:
  0  the demo ran to the end
  1  a step did not behave as it should (a fix did not apply, or the last doctor still fails)
  2  the embedded PostgreSQL cannot run here, or another demo is running`)
    .action(async (opts) => {
      const { demo } = await import('./commands/demo.js');
      process.exitCode = await demo(opts, io);
    });

  const recoverCommand = program
    .command('recover')
    .description("the guide's emergency recovery as a guarded runbook: publication, server restart, database, clients, verify")
    .option('--db-url <url>', 'Postgres URL (default: $DATABASE_URL, then $SUPABASE_DB_URL)')
    .option('--config <file>', 'campfire.config.json with your schema, table, role and function names')
    .option('--dry-run', 'print the whole runbook and every SQL statement; change nothing')
    .option('-y, --yes', 'run every step without asking (required when there is no terminal)')
    .option('--restart-cmd <command>', 'the shell command that restarts your server (step 2); without it the restart is a manual step')
    .addOption(withDefault('--restart-timeout <duration>', 'stop the restart command, and stop waiting for --app-url, after this long', '2m'))
    .option('--app-url <url>', "your Campfire app's base URL: after the restart, wait until it answers (any HTTP status below 500); with --org-id the verify step also probes its widget API")
    .option('--org-id <id>', 'verify step: organization the widget probes sign in to (default: $CAMPFIRE_ORG_ID) and the realtime probe joins')
    .option('--log <file>', "verify step: server log to scan from the recovery's start (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option('--rehearse', 'verify step: also rehearse the widget path as anon and authenticated, always rolled back (doctor --rehearse)')
    .addOption(withDefault('--lock-timeout <duration>', 'each database step gives up (and changes nothing) when a lock is not granted within this', '5s'))
    .option('--undo-file <file>', 'where the undo script goes (default: .campfire/undo/<timestamp>-recover.sql)')
    .option('--report <file>', 'where the incident record goes (default: .campfire/recovery-<timestamp>.md)')
    .option('--src <dir>', "also check the app's client code in DIR in the verify step")
    .option('--supabase-url <url>', 'verify step: also probe Realtime at this Supabase URL (default: $SUPABASE_URL)')
    .option('--anon-key <key>', 'verify step: anon key for the realtime probe (default: $SUPABASE_ANON_KEY); never printed')
    .addOption(alias('--org <id>', '--org-id'))
    .option('--conv <id>', 'verify step: conversation id for the realtime probe channels')
    .option('--bindings <file>', "verify step: also join with the app's postgres_changes bindings (JSON) and check the server's echo")
    .addOption(withDefault('--max-latency-ms <ms>', 'verify step: latency above this fails the latency checks', '1000'))
    .addOption(new Option('--full-tables <choice>', 'REPLICA IDENTITY FULL tables in step 1: refuse, or publish them without a column list').choices(['refuse', 'no-column-list']).default('refuse'))
    .addOption(new Option('--replica-identity <choice>', 'in step 1, switch REPLICA IDENTITY FULL tables to DEFAULT so they can carry a column list').choices(['default']))
    .addOption(withDefault('--connect-timeout <duration>', 'give up connecting after this long', '10s'))
    .addOption(withDefault('--statement-timeout <duration>', 'cancel any query running longer than this', '15s'))
    .addHelpText('after', `
Steps (the guide's order), each shown before it runs; on a terminal it asks yes / skip / abort:
  1 publication   the fix-publication plan, in its own transaction
  2 restart       --restart-cmd (output streamed, exit code checked), then wait for --app-url
  3 database      the fix-permissions plan, in its own transaction
  4 client        manual: clear the browser cache and reconnect
  5 verify        the full doctor checklist
Safety: one recover at a time per database (a session advisory lock); the whole pre-recovery state is saved
as one undo script before the first change; a failed step stops the runbook; Ctrl-C finishes or rolls back
the current step, then stops. Every run writes a Markdown incident report.
Examples:
  npx campfire recover --dry-run --db-url postgres://…
  npx campfire recover --restart-cmd "systemctl restart campfire" --app-url https://chat.example.com --org-id ORG
  npx campfire recover --yes --restart-cmd "kubectl rollout restart deploy/campfire && kubectl rollout status deploy/campfire"

Exit codes:
  0  recovery ran and the final checklist passes
  1  recovery ran but the checklist still fails (the report names the items), or it stopped early
     (a step failed, abort, Ctrl-C, or the verify step was skipped)
  2  it could not start: bad flags, no terminal and no --yes, database unreachable, another recover running`)
    .action(async (opts) => {
      const { recover } = await import('./commands/recover.js');
      const { unifyOrg } = await import('./realtime/options.js');
      unifyOrg(opts);
      process.exitCode = await recover(opts, io);
    });
  addGateOptions(recoverCommand);

  // issue 17: the live database against the migrations, on what the checks read
  program
    .command('drift')
    .description('compare the live database with a shadow built from supabase/migrations, on what the checks read')
    .option('--db-url <url>', 'the live database (default: $DATABASE_URL, then $SUPABASE_DB_URL); only read')
    .option('--migrations <dir>', 'the Supabase migrations folder (<version>_<name>.sql)')
    .option('--write-migration <dir>', 'write a Supabase migration into DIR that makes the migrations build what live has')
    .option('--json', 'print one JSON document on stdout')
    .option('--config <file>', 'campfire.config.json with your schema, table, role and function names')
    .option('--seed <file>', 'apply this seed file after the migrations')
    .option('--shadow <engine>', 'embedded (default; no Docker) or container (supabase/postgres through Docker)')
    .option('--shadow-url <url>', 'build the shadow on this server instead (a new database, dropped afterwards)')
    .option('--shadow-image <image>', 'with --shadow container: the image')
    .option('--skip-missing-extensions', 'step over CREATE EXTENSION of an extension the shadow server lacks (see README)')
    .addOption(withDefault('--connect-timeout <duration>', 'give up connecting after this long', '10s'))
    .addOption(withDefault('--statement-timeout <duration>', 'cancel any query running longer than this', '15s'))
    .addHelpText('after', `
Compares: publication membership, column lists, row filters and publish options; replica identity of
published tables; RLS flags, policies (command, roles, permissive, expressions), the API roles' table
privileges and triggers on the guide's tables; RLS, policies and grants of realtime.messages; security
and search_path of the guide's and SECURITY DEFINER functions. Each difference says which side has what.
Examples:
  npx campfire drift --db-url "$DATABASE_URL" --migrations supabase/migrations
  npx campfire drift --db-url "$DATABASE_URL" --migrations supabase/migrations --write-migration supabase/migrations

Exit codes:
  0  no drift
  1  drift (each difference printed; --write-migration wrote the migration)
  2  could not run: bad flags, database unreachable, a migration failed to apply`)
    .action(async (opts) => {
      const { drift } = await import('./drift/command.js');
      process.exitCode = await drift(opts, io);
    });

  return program;
}

/** Runs the CLI; returns the exit code. Usage errors are one line and exit 2, never a stack trace. */
export async function main(argv: string[], given?: Io): Promise<number> {
  const io = given ?? (await processIo());
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
      // Messages quote what was given or read (a --since value, a server's error, a migration excerpt): relayed
      // text, so scrubbed of credentials and terminal escapes.
      io.err(`${io.chalk.red('error:')} ${scrub(err.message)}\n`);
      if (debug) io.err(`${scrub(err.stack ?? '')}\n`);
      return EXIT.usage;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(`${io.chalk.red('campfire crashed:')} ${scrub(e.message)}\n`);
    io.err(debug ? `${scrub(e.stack ?? '')}\n` : 'This is a bug in campfire. Run again with --debug for the stack trace and report it.\n');
    return EXIT.usage;
  }
}
