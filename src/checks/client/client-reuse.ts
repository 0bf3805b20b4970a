import type { Check, Finding } from '../types.js';
import { codeFinding, plural, unparsedNote } from './finding.js';

/** The guide's eventsPerSecond (Performance Issues → Implement Connection Pooling). */
export const GUIDE_EVENTS_PER_SECOND = 10;

/**
 * One Supabase client per browser tab: each createClient makes its own RealtimeClient, so its own
 * WebSocket, heartbeat and channel set. A client created in a component or hook body is a new socket
 * per render (or per component instance).
 */
export const clientReuse: Check<'client'> = {
  id: 'client.reuse',
  section: 'performance',
  title: 'One Supabase client, reused',
  verifies: `createClient is not called in a component or hook body (a new client per render) nor in several modules, and realtime params.eventsPerSecond is not above the guide's ${GUIDE_EVENTS_PER_SECOND}.`,
  guideRef: 'Performance Issues → Implement Connection Pooling: Reuse Supabase client instances',
  fix: null,
  input: 'client',
  judge(stats) {
    const warnings: Finding[] = [];
    for (const c of stats.clients) {
      if (c.body) warnings.push(codeFinding(c.at, `createClient() in the body of ${c.body}: a new client (and WebSocket) for every render or component instance; create it once in a module and import it`, 'warn'));
    }
    const files = [...new Set(stats.clients.map((c) => c.at.file))];
    if (files.length > 1) {
      for (const c of stats.clients.filter((x) => !x.body)) {
        warnings.push(codeFinding(c.at, `one of ${files.length} modules that call createClient() (${files.join(', ')}): code running in the same page should share one client; server-side or separate apps may need their own`, 'warn'));
      }
    }
    for (const t of stats.timings) {
      if (t.key !== 'eventsPerSecond') continue;
      if (t.value.kind === 'number' && t.value.ms > GUIDE_EVENTS_PER_SECOND) {
        warnings.push(codeFinding(t.at, `eventsPerSecond is ${t.value.ms}, above the guide's ${GUIDE_EVENTS_PER_SECOND}`, 'warn'));
      }
    }
    const note = unparsedNote(stats);
    const advice = 'Create the Supabase client once per page, in a module, and import it everywhere (with @supabase/ssr, createBrowserClient already returns one shared client in the browser). ' +
      'eventsPerSecond is sent to Realtime as a connection parameter; current realtime-js no longer throttles on the client (its rate limiter was removed in 2023), so the project\'s server-side limits are what count — keep it at the guide\'s value unless you have measured a need.';
    if (warnings.length) return { status: 'warn', summary: `${plural(warnings.length, 'finding')} about client reuse (${plural(stats.clients.length, 'createClient call')} in ${plural(files.length, 'module')})${note}`, findings: warnings, advice };
    return { status: 'pass', summary: stats.clients.length ? `${plural(stats.clients.length, 'createClient call')} in ${plural(files.length, 'module')}, none in a component or hook body${note}` : `no createClient calls found${note}` };
  },
};
