import { runChecks } from '../checks/run.js';
import { REALTIME_CHECKS } from '../checks/realtime/index.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { Io } from '../io.js';
import { loadBindings } from '../realtime/bindings.js';
import { channelName } from '../realtime/channels.js';
import { EXIT_INTERRUPTED, withInterrupt } from '../realtime/interrupt.js';
import { durationMs, parseProbeFlags, type RawProbeFlags } from '../realtime/options.js';
import { probeBroadcast } from '../realtime/probe.js';
import { renderProbeTable } from '../realtime/render.js';
import { renderHuman, reportWidth } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { buildReport } from '../report/model.js';
import { spinner } from '../spinner.js';
import { plural } from '../plural.js';

export interface ProbeBroadcastOptions extends RawProbeFlags {
  /** The names shared with doctor; url/key/org/intervalMs/timeoutMs are their old aliases. */
  supabaseUrl?: string;
  anonKey?: string;
  orgId?: string;
  interval?: string;
  timeout?: string;
  bindings?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Probes Realtime broadcast end to end, judges it with the realtime checks, prints doctor's report. */
export async function probeBroadcastCommand(opts: ProbeBroadcastOptions, io: Io): Promise<number> {
  const names = {
    url: opts.supabaseUrl === undefined && opts.url !== undefined ? '--url' : '--supabase-url',
    key: opts.anonKey === undefined && opts.key !== undefined ? '--key' : '--anon-key',
    timeout: opts.timeoutMs !== undefined ? '--timeout-ms' : '--timeout',
    interval: opts.intervalMs !== undefined ? '--interval-ms' : '--interval',
  };
  const parsed = parseProbeFlags(
    {
      ...opts,
      url: opts.supabaseUrl ?? opts.url ?? io.env.SUPABASE_URL,
      key: opts.anonKey ?? opts.key ?? io.env.SUPABASE_ANON_KEY,
      org: opts.orgId ?? opts.org,
      // The old millisecond flags win when given; else the durations (defaults 20ms and 5s).
      intervalMs: opts.intervalMs ?? durationMs(opts.interval, '--interval'),
      timeoutMs: opts.timeoutMs ?? durationMs(opts.timeout, '--timeout'),
      accessToken: opts.accessToken ?? (opts.private ? io.env.CAMPFIRE_ACCESS_TOKEN : undefined),
    },
    names,
  );
  const bindings = opts.bindings ? await loadBindings(opts.bindings, `${channelName('conv', parsed.org, parsed.conv)}:bindings`) : undefined;
  const spin = spinner(io, `Probing Realtime broadcast (${plural(parsed.channels.length, 'channel')} × ${plural(parsed.count, 'message')})`);
  let outcome;
  try {
    outcome = await withInterrupt((signal) => probeBroadcast({ ...parsed, ...(bindings ? { bindings } : {}), signal }));
  } finally {
    spin.stop();
  }
  const stats = outcome.result;
  const report = buildReport(runChecks(REALTIME_CHECKS, { realtime: stats }, DEFAULT_CONFIG), { realtime: stats.url });
  report.realtime = stats;
  if (opts.json) io.out(renderJson(report));
  else {
    const width = io.isTTY ? reportWidth() : 80;
    const [title, ...rest] = renderHuman(report, { chalk: io.chalk, verbose: opts.verbose, title: 'campfire probe-broadcast', width }).split('\n');
    io.out([title, renderProbeTable(stats, io.chalk), ...rest].join('\n'));
  }
  if (outcome.interrupted) {
    io.err('interrupted: the probe removed its channels and disconnected; the report above is partial.\n');
    return EXIT_INTERRUPTED;
  }
  return report.exitCode;
}
