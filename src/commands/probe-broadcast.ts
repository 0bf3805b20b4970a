import { runChecks } from '../checks/run.js';
import { REALTIME_CHECKS } from '../checks/realtime/index.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { Io } from '../io.js';
import { loadBindings } from '../realtime/bindings.js';
import { channelName } from '../realtime/channels.js';
import { EXIT_INTERRUPTED, withInterrupt } from '../realtime/interrupt.js';
import { parseProbeFlags, type RawProbeFlags } from '../realtime/options.js';
import { probeBroadcast } from '../realtime/probe.js';
import { renderProbeTable } from '../realtime/render.js';
import { renderHuman } from '../report/human.js';
import { renderJson } from '../report/json.js';
import { buildReport } from '../report/model.js';
import { spinner } from '../spinner.js';

export interface ProbeBroadcastOptions extends RawProbeFlags {
  bindings?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Probes Realtime broadcast end to end, judges it with the realtime checks, prints doctor's report. */
export async function probeBroadcastCommand(opts: ProbeBroadcastOptions, io: Io): Promise<number> {
  const parsed = parseProbeFlags({
    ...opts, url: opts.url ?? io.env.SUPABASE_URL, key: opts.key ?? io.env.SUPABASE_ANON_KEY,
    accessToken: opts.accessToken ?? (opts.private ? io.env.CAMPFIRE_ACCESS_TOKEN : undefined),
  });
  const bindings = opts.bindings ? await loadBindings(opts.bindings, `${channelName('conv', parsed.org, parsed.conv)}:bindings`) : undefined;
  const spin = spinner(io, `Probing Realtime broadcast (${parsed.channels.length} channels × ${parsed.count} messages)`);
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
    const [title, ...rest] = renderHuman(report, { chalk: io.chalk, verbose: opts.verbose }).split('\n');
    io.out([title, renderProbeTable(stats, io.chalk), ...rest].join('\n'));
  }
  if (outcome.interrupted) {
    io.err('interrupted: the probe removed its channels and disconnected; the report above is partial.\n');
    return EXIT_INTERRUPTED;
  }
  return report.exitCode;
}
