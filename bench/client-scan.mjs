// Benchmark for `campfire doctor --src`: generates a tree of 5,000 source files (TS, TSX, JS, JSX, in
// nested folders, with a node_modules and a .gitignored folder to skip) into a temp dir, then times the
// client gatherer (walk + parse + extract) and the judges. Run with `npm run bench:client`
// (builds first); FILES=20000 RUNS=5 override the defaults. SRC=/path/to/an/app times a real tree instead
// of the generated one; DIST=/other/checkout/dist times another build (e.g. main's) for a baseline measured
// in the same run, on the same loaded machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = process.env.DIST ? pathToFileURL(path.resolve(process.env.DIST)).href : new URL('../dist', import.meta.url).href;
const { gatherClient } = await import(`${DIST}/client/gather.js`);
const { CHECKS } = await import(`${DIST}/checks/registry.js`);
const { runChecks } = await import(`${DIST}/checks/run.js`);
const { DEFAULT_CONFIG } = await import(`${DIST}/config.js`);
const SRC = process.env.SRC ? path.resolve(process.env.SRC) : null;

const FILES = Number(process.env.FILES ?? 5000);
const RUNS = Number(process.env.RUNS ?? 3);
const EXTENSIONS = ['ts', 'tsx', 'js', 'jsx'];

function component(i, ext) {
  const typed = ext === 'ts' || ext === 'tsx';
  const jsx = ext === 'tsx' || ext === 'jsx';
  const p = (t) => (typed ? `: ${t}` : '');
  const wrong = i % 7 === 0;
  return `import { useEffect, useState } from 'react';
import { supabase } from '../../lib/supabase';
import { UNIFIED_EVENTS } from '../../events';

/** Generated component ${i}: subscribes to a conversation and renders its messages. */
export function Conversation${i}({ orgId, convId }${typed ? ': { orgId: string; convId: string }' : ''}) {
  const [messages, setMessages] = useState([]);
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    const channel = supabase.channel(${wrong ? '`org:${orgId}:conv:${convId}`' : '`bcast:org:${orgId}:conv:${convId}`'}, {
      config: { broadcast: { ack: false }, presence: { ack: false }${wrong ? '' : ', postgres_changes: []'} },
    });
    channel
      .on('broadcast', { event: UNIFIED_EVENTS.MESSAGE_CREATED }, (payload${p('{ payload: unknown }')}) => {
        setMessages((prev) => [...prev, payload.payload]);
      })
      .on('broadcast', { event: ${wrong ? "'typing_started'" : 'UNIFIED_EVENTS.TYPING'} }, () => setTyping(true))
      .subscribe((status${p('string')}) => {
        if (status === 'CHANNEL_ERROR') console.error('channel error', convId);
      });
    ${wrong ? '' : 'return () => { supabase.removeChannel(channel); };'}
  }, [orgId, convId]);

  async function send(text${p('string')}) {
    const channel = supabase.channel(\`bcast:org:\${orgId}:conv:\${convId}\`, { config: { postgres_changes: [] } });
    await channel.send({ type: 'broadcast', event: UNIFIED_EVENTS.MESSAGE_CREATED, payload: { text, at: Date.now() } });
  }

  const sorted = messages.slice().sort((a, b) => String(a).localeCompare(String(b)));
  ${jsx ? `return (
    <section data-conversation={convId}>
      {typing ? <em>typing…</em> : null}
      <ul>{sorted.map((m, k) => <li key={k}>{String(m)}</li>)}</ul>
      <button onClick={() => send('hello')}>Send</button>
    </section>
  );` : 'return { sorted, typing, send };'}
}
`;
}

function generate(root) {
  mkdirSync(path.join(root, 'lib'), { recursive: true });
  writeFileSync(path.join(root, 'events.ts'), "export const UNIFIED_EVENTS = { MESSAGE_CREATED: 'message:created', TYPING: 'typing' } as const;\n");
  writeFileSync(path.join(root, 'lib/supabase.ts'), "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient(URL, KEY, { realtime: { heartbeatIntervalMs: 25000 } });\n");
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  let bytes = 0;
  for (let i = 0; i < FILES - 2; i++) {
    const ext = EXTENSIONS[i % EXTENSIONS.length];
    const dir = path.join(root, `feature${i % 50}`, `part${i % 10}`);
    mkdirSync(dir, { recursive: true });
    const text = component(i, ext);
    bytes += text.length;
    writeFileSync(path.join(dir, `Conversation${i}.${ext}`), text);
  }
  // Folders that must be skipped: they would double the work if read.
  for (const skipped of ['node_modules/some-lib', 'dist']) {
    mkdirSync(path.join(root, skipped), { recursive: true });
    for (let i = 0; i < 500; i++) writeFileSync(path.join(root, skipped, `f${i}.js`), component(i, 'js'));
  }
  return bytes;
}

const root = SRC ?? mkdtempSync(path.join(os.tmpdir(), 'campfire-bench-'));
try {
  if (SRC) console.log(`real tree ${SRC} (build ${DIST})`);
  else {
    const bytes = generate(root);
    console.log(`generated ${FILES} source files (${(bytes / 1e6).toFixed(1)} MB) + 1,000 to skip in ${root} (build ${DIST})`);
  }
  const clientChecks = CHECKS.filter((c) => c.input === 'client');
  const rates = [];
  const cpuRates = [];
  for (let run = 1; run <= RUNS; run++) {
    // CPU time as well as wall time: on a machine shared with other work, wall time mostly measures the load.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const stats = gatherClient(root, root);
    const t1 = performance.now();
    const results = runChecks(clientChecks, { client: stats }, DEFAULT_CONFIG);
    const t2 = performance.now();
    if (!SRC && stats.files !== FILES) throw new Error(`expected ${FILES} files, read ${stats.files}`);
    const findings = results.reduce((n, r) => n + r.findings.length, 0);
    const cpu = process.cpuUsage(c0);
    const rate = stats.files / ((t2 - t0) / 1000);
    const cpuRate = stats.files / ((cpu.user + cpu.system) / 1e6);
    rates.push(rate);
    cpuRates.push(cpuRate);
    console.log(`run ${run}: gather ${(t1 - t0).toFixed(0)} ms, judge ${(t2 - t1).toFixed(0)} ms, ${stats.files} files, ${stats.channels.length} channels, ${findings} findings → ${rate.toFixed(0)} files/s (${cpuRate.toFixed(0)} files per CPU-second)`);
  }
  rates.sort((a, b) => a - b);
  cpuRates.sort((a, b) => a - b);
  console.log(`median ${rates[Math.floor(rates.length / 2)].toFixed(0)} files/s, ${cpuRates[Math.floor(cpuRates.length / 2)].toFixed(0)} files per CPU-second over ${RUNS} runs (node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(1)})`);
} finally {
  if (!SRC) rmSync(root, { recursive: true, force: true });
}
