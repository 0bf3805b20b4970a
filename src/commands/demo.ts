import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckResult } from '../checks/types.js';
import { findBinaries, type PostgresBinaries } from '../embedded/binaries.js';
import { DEMO_DATABASE, loadBrokenCampfire, PRACTICE_DATABASE, runDecision, serverUrl } from '../demo/database.js';
import { demoLocation, type DemoLocation } from '../demo/location.js';
import { acquireLock } from '../embedded/lock.js';
import { readServerState } from '../embedded/pidfile.js';
import { clearPrevious, ensureCluster, prepareDir, runAsFor, startServer, stopServer, type RunAs } from '../embedded/cluster.js';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { emitReport } from '../gate/emit.js';
import { resolveGate } from '../gate/options.js';
import type { Io } from '../io.js';
import type { Report } from '../report/model.js';
import { registerSecret } from '../secrets.js';
import { spinner } from '../spinner.js';
import { diagnose } from './doctor.js';
import { fixPermissions } from './fix-permissions.js';
import { fixPublication } from './fix-publication.js';

export interface DemoOptions {
  keep?: boolean;
  stop?: boolean;
}

export async function demo(opts: DemoOptions, io: Io): Promise<number> {
  if (opts.keep && opts.stop) throw new UsageError('--keep and --stop contradict each other: give one of them.');
  const loc = demoLocation(io.env);
  if (opts.stop) return stopKept(loc, io);
  const bins = await findBinaries();
  prepareDir(loc);
  const release = acquireLock(loc.lock, 'starting another');
  try {
    return await runDemo(loc, bins, opts, io);
  } finally {
    release();
  }
}

/** `campfire demo --stop`: stops a server left running by --keep. */
async function stopKept(loc: DemoLocation, io: Io): Promise<number> {
  const state = existsSync(loc.data) ? readServerState(loc.data) : { kind: 'none' as const };
  if (state.kind === 'none') {
    io.out(`No demo server is running (${loc.dir}).\n`);
    return EXIT.ok;
  }
  const bins = await findBinaries();
  const release = acquireLock(loc.lock, 'stopping its server');
  try {
    const found = await clearPrevious(loc, bins, await runAsFor());
    io.out(found.kind === 'running' ? `Stopped the demo server (pid ${found.pid}, port ${found.port}).\n` : `No demo server was running; removed a stale pid file (${found.kind === 'stale' ? found.why : ''}).\n`);
    return EXIT.ok;
  } finally {
    release();
  }
}

async function runDemo(loc: DemoLocation, bins: PostgresBinaries, opts: DemoOptions, io: Io): Promise<number> {
  const c = io.chalk;
  const home = (p: string) => (p.startsWith(os.homedir() + path.sep) ? `~${p.slice(os.homedir().length)}` : p);
  let step = 0;
  const heading = (title: string) => io.out(`\n${c.bold.cyan(`━━ ${++step}. ${title}`)}\n`);
  io.out(`${c.bold(`campfire demo — a broken Campfire database on a throwaway PostgreSQL ${bins.version}, diagnosed and repaired`)}\n`);
  if (loc.note) io.out(`${c.yellow('note:')} ${loc.note}\n`);

  heading('Start a local PostgreSQL (embedded; nothing else to install)');
  let as: RunAs = await runAsFor();
  const spin = spinner(io, 'Starting PostgreSQL');
  let port: number;
  let password: string;
  let initialised: boolean;
  let previous;
  try {
    previous = await clearPrevious(loc, bins, as);
    ({ password, initialised } = await ensureCluster(loc, bins));
    registerSecret(password); // masked everywhere from now on; only --keep's URL line prints it, on purpose
    if (initialised) as = await runAsFor(); // initialise may just have created the postgres user (root)
    port = await startServer(loc, bins, as);
  } finally {
    spin.stop();
  }
  if (previous.kind === 'running') io.out(`  stopped the demo server a previous run left running (pid ${previous.pid})\n`);
  if (previous.kind === 'stale') io.out(`  removed a stale postmaster.pid from a run that was killed (${previous.why})\n`);
  io.out(`  PostgreSQL ${bins.version} on 127.0.0.1:${port}, data in ${home(loc.data)} (${initialised ? 'initialised now' : 'reused'})\n`);

  // Ctrl-C must not leave a server behind (pg_ctl detached it from us): stop it synchronously on the way out.
  // (Even with --keep: an interrupted demo has not handed the user a working server.)
  const onSignal = (sig: NodeJS.Signals) => {
    spawnSync(bins.pg_ctl, ['stop', '-D', loc.data, '-m', 'immediate', '-w', '-t', '30'], { cwd: loc.dir, stdio: 'ignore', ...as });
    rmSync(loc.lock, { force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let outcome: number;
  try {
    outcome = await walkThrough(loc, port, password, io, heading);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (!opts.keep) {
      const state = readServerState(loc.data);
      if (state.kind === 'running') await stopServer(loc, bins, as, state.pid);
    }
  }

  if (opts.keep) {
    // The demo's own database is repaired by now: nothing the commands below would do. A fresh broken copy
    // beside it is the sandbox to practise on (made again on every --keep run, so it can be broken freely).
    await loadBrokenCampfire(port, password, PRACTICE_DATABASE);
    io.out(`\n${c.bold('The demo server is still running')} (npx campfire demo --stop stops it), on the same port as the last --keep run.\n`);
    io.out(`${PRACTICE_DATABASE} is a fresh copy of the broken Campfire to repair yourself (${DEMO_DATABASE} is the one the demo repaired):\n`);
    const url = serverUrl(port, password, PRACTICE_DATABASE);
    // The one place the demo password is printed, on purpose: it is what --keep is for. The password is
    // registered as a secret (so nothing else can print it) and this line bypasses the masking deliberately.
    const line = `  export DATABASE_URL='${url}'\n`;
    if (io.writeUnredacted) io.writeUnredacted('out', line);
    else io.out(line);
    io.out(`  npx campfire doctor\n  npx campfire fix-publication            # dry run: the plan\n  npx campfire fix-publication --apply --yes\n  npx campfire fix-permissions --apply --yes\n  psql "$DATABASE_URL"\n`);
    io.out(`  (password generated for this machine, stored in ${home(loc.passwordFile)}; the server listens on 127.0.0.1 only;\n` +
      `   the next npx campfire demo --keep starts over with a fresh ${PRACTICE_DATABASE} on port ${port} when it is still free)\n`);
  } else {
    io.out(`\nStopped the demo server. Run ${c.bold('npx campfire demo --keep')} to keep it running and try the commands yourself.\n`);
  }
  return outcome;
}

/** Doctor (red) → plans → apply → doctor → the person's decision → doctor (green). */
async function walkThrough(loc: DemoLocation, port: number, password: string, io: Io, heading: (t: string) => void): Promise<number> {
  const c = io.chalk;
  const dbUrl = serverUrl(port, password, DEMO_DATABASE);
  // The demo's database uses the guide's names: an explicit empty config keeps a campfire.config.json in
  // the current directory (written for the user's own app) out of it.
  const config = path.join(loc.dir, 'campfire.config.json');
  writeFileSync(config, '{}\n');
  rmSync(loc.undoDir, { recursive: true, force: true }); // undo scripts of the database the last run dropped
  const gate = { ...resolveGate({}, undefined, {}), github: false };
  const common = { dbUrl, config, connectTimeout: '10s', statementTimeout: '15s' };
  const doctor = async (title: string): Promise<Report> => {
    const report = await diagnose(common, io, { config: await loadConfig(config), gate });
    await emitReport(report, gate, io, title);
    return report;
  };
  const fixOpts = (apply: boolean, command: string) => ({
    ...common, lockTimeout: '5s', json: false, fullTables: 'refuse' as const, policyMode: 'organization' as const,
    ...(apply ? { apply: true, yes: true, undoFile: path.join(loc.undoDir, `${command}.sql`) } : {}),
  });

  heading(`Load a broken Campfire into database ${DEMO_DATABASE}`);
  const spin = spinner(io, 'Loading the fixture');
  try {
    await loadBrokenCampfire(port, password);
  } finally {
    spin.stop();
  }
  io.out('  the Supabase baseline (roles, realtime publication), the Campfire schema, and every symptom in the guide\n');

  heading('campfire doctor — what is wrong');
  const before = await doctor('campfire doctor');

  heading('campfire fix-publication and fix-permissions — the plans (dry run: nothing changes)');
  await fixPublication(fixOpts(false, 'fix-publication'), io);
  io.out('\n');
  await fixPermissions(fixOpts(false, 'fix-permissions'), io);

  heading('Apply them (--apply --yes: one transaction each, verified before commit, undo script written)');
  const pub = await fixPublication(fixOpts(true, 'fix-publication'), io);
  io.out('\n');
  const perms = await fixPermissions(fixOpts(true, 'fix-permissions'), io);
  if (pub !== EXIT.ok || perms !== EXIT.ok) {
    io.out(c.red('\nA fix did not apply (see above): the demo stops here.\n'));
    return EXIT.failed;
  }

  heading('campfire doctor — after the fixes');
  const after = await doctor('campfire doctor');
  const failing = failed(after);
  if (!failing.length) return finalWord(io, before, after);

  io.out(`\n${c.yellow.bold('Why it is not all green yet:')} fix-permissions changes only what cannot break the app. It left\n` +
    `these for a person to decide (the plan above listed them under "Left for your decision"):\n`);
  for (const r of failing) io.out(`  ${c.red('✗')} ${r.id}: ${r.findings.map((f) => f.object).filter(unique).join(', ') || r.summary}\n`);
  io.out('Enabling row level security on messages now would refuse the reads and writes the app is granted,\n' +
    'because no policy allows them. Which rows each user may see is the app owner\'s call, not campfire\'s.\n');

  heading('The decision a person would make (run here by the demo; campfire never runs this on your database)');
  const sql = await runDecision(port, password);
  io.out(`${sql.split('\n').filter((l) => !l.startsWith('--') && l.trim()).map((l) => c.cyan(`  ${l}`)).join('\n')}\n`);

  heading('campfire doctor — after that decision');
  const last = await doctor('campfire doctor');
  return finalWord(io, before, last);
}

function finalWord(io: Io, before: Report, after: Report): number {
  const c = io.chalk;
  const was = failed(before).length;
  const left = failed(after);
  if (left.length) {
    io.out(c.red(`\n${left.length} check${left.length === 1 ? '' : 's'} still fail (${left.map((r) => r.id).join(', ')}): the demo did not reach a healthy database.\n`));
    return EXIT.failed;
  }
  io.out(c.green(`\nFrom ${was} failing check${was === 1 ? '' : 's'} to none.`) + (after.summary.warn ? ` The warnings left are the guide's own choices, explained above.` : '') + '\n');
  return EXIT.ok;
}

function failed(report: Report): CheckResult[] {
  return report.checks.filter((r) => r.status === 'fail' || r.status === 'error');
}

function unique<T>(v: T, i: number, all: T[]): boolean {
  return all.indexOf(v) === i;
}
