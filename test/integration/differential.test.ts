import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckResult } from '../../src/checks/types.js';
import { DEFAULT_CONFIG, type CampfireConfig } from '../../src/config.js';
import type { CatalogSnapshot } from '../../src/db/catalog.js';
import { readSnapshot } from '../../src/db/snapshot.js';
import { PolicySemantics, type PolicyCommand } from '../../src/policies/semantics.js';
import type { ProbeStep } from '../../src/probe/index.js';
import { createDatabase, type TestDb } from '../support/db.js';
import { observe, type Observation } from '../support/verdict-oracle.js';
import { FAMILIES, GRANT_ALL_COLUMNS_SQL, generateState, type Family, type GeneratedState, type StateRoles } from '../support/verdict-states.js';

/**
 * The differential test: generated database states, each judged by the database checks and acted on
 * by the shared probe (src/probe) as anon and authenticated, in one transaction that is always rolled
 * back. Every comparison below is "the check's verdict ⇔ what Postgres did"; where a check deliberately
 * judges something the probe cannot see, the comparison says so and why.
 *
 * Checks the generator does not vary, and why they are not compared here:
 * - publication.* : the publication is another engineer's subject and has its own tests; the probe's
 *   update/delete steps on unpublished tables say nothing about it.
 * - functions.definer-callable, performance.* : about exposure and cost, not about what a statement may
 *   do; no rolled-back statement can observe them.
 * - permissions.rls-enabled : one catalog flag; with RLS off the probe sees what an always-true policy
 *   would give, so the difference is not observable by acting as the role.
 * - policies.realtime-messages : realtime.messages (Realtime Authorization) is not on the widget's path;
 *   its own tests compare it with the fixture server's authorisation.
 * - policies.permissive : it warns about rows of OTHER organizations a visitor could write; the probe
 *   writes only its own organization's rows, which every generated predicate admits. The planner's
 *   folding it relies on is tested in policy-semantics.test.ts.
 */
const PER_FAMILY = process.env.CAMPFIRE_LONG_PROPERTY === '1' ? 1000 : 100;
const BASE_SEED = 0x13_0000;

const ROLES: StateRoles = {
  anon: `campfire_dv_${process.pid}_anon`,
  authenticated: `campfire_dv_${process.pid}_auth`,
  group: `campfire_dv_${process.pid}_group`,
};
const CONFIG: CampfireConfig = { ...DEFAULT_CONFIG, roles: { anon: ROLES.anon, authenticated: ROLES.authenticated, serviceRole: 'service_role' } };
const API_ROLES = [ROLES.anon, ROLES.authenticated];
const DATABASE_CHECKS = CHECKS.filter((c) => c.input === 'database');

let db: TestDb;
let client: pg.Client;

beforeAll(async () => {
  db = await createDatabase('schema', GRANT_ALL_COLUMNS_SQL);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/**
 * Roles are cluster-wide: this run's own are created inside each state's transaction and rolled back
 * with it, so no other session (or test comparing the cluster's roles) ever sees them.
 */
const ROLES_SQL = `create role "${ROLES.group}" nologin; create role "${ROLES.anon}" nologin inherit;
  create role "${ROLES.authenticated}" nologin noinherit; grant "${ROLES.group}" to "${ROLES.anon}", "${ROLES.authenticated}";`;

interface Judged {
  state: GeneratedState;
  snap: CatalogSnapshot;
  results: Record<string, CheckResult>;
  obs: Observation;
}

async function judge(state: GeneratedState): Promise<Judged> {
  await client.query('BEGIN');
  try {
    await client.query(ROLES_SQL);
    await client.query(state.sql);
    const snap = await readSnapshot(client, CONFIG);
    const results = Object.fromEntries(runChecks(DATABASE_CHECKS, { database: snap }, CONFIG).map((r) => [r.id, r]));
    const obs = await observe(client, CONFIG, API_ROLES, state.family === 'sync');
    return { state, snap, results, obs };
  } finally {
    await client.query('ROLLBACK');
  }
}

const steps = (j: Judged, role: string): ProbeStep[] => j.obs.probe.roles.find((r) => r.role === role)?.steps ?? [];
const step = (j: Judged, role: string, id: string, table?: string) => steps(j, role).find((s) => s.step === id && (!table || s.table === `public.${table}`));
const ok = (s: ProbeStep | undefined) => s?.outcome === 'ok';
const passes = (r: CheckResult | undefined) => r?.status === 'pass' || r?.status === 'warn';
const say = (s: ProbeStep | undefined) => (s ? `${s.step} ${s.table}: ${s.outcome}${s.message ? ` (${s.message})` : ''}` : 'missing');

/** The commands each probe step needs from row security: every one reads its rows back (RETURNING / WHERE id). */
const STEP_COMMANDS: Record<string, PolicyCommand[]> = {
  'read-conversation': ['SELECT'],
  'read-message': ['SELECT'],
  'read-realtime-conversation': ['SELECT'],
  'insert-conversation': ['INSERT', 'SELECT'],
  'insert-message': ['INSERT', 'SELECT'],
  'update-conversation': ['UPDATE', 'SELECT'],
  'update-published': ['UPDATE', 'SELECT'],
  'delete-published': ['DELETE', 'SELECT'],
};

/** Each comparison returns the disagreements it found in one judged state. */
type Comparison = (j: Judged) => string[];

/**
 * How often each side of each comparison was seen: a family must see both answers of its comparisons,
 * or the generator has stopped exercising them and agreement would prove nothing.
 */
const seen = new Map<string, number>();
const tally = (label: string) => seen.set(label, (seen.get(label) ?? 0) + 1);
const MUST_SEE: Record<Family, string[]> = {
  'rc-policies': ['rc-sync:true', 'rc-sync:false', 'step:true', 'step:false'],
  grants: ['denied:true', 'denied:false', 'grants:warn'],
  sync: ['synced:true', 'synced:false', 'shadowed:true', 'shadowed:false'],
  'table-policies': ['step:true', 'step:false', 'policies-finding', 'owner-bypass'],
};

const COMPARISONS: Record<Family, Comparison[]> = {
  'rc-policies': [
    // The sync trigger runs as the role (SECURITY INVOKER): its INSERT … ON CONFLICT DO UPDATE goes through
    // realtime_conversations' row security on the widget's insert (insert path) and update (conflict path).
    (j) => {
      const works = API_ROLES.every((r) => ok(step(j, r, 'insert-conversation')) && ok(step(j, r, 'update-conversation')));
      tally(`rc-sync:${works}`);
      const verdict = j.results['policies.realtime-conversations']!;
      return passes(verdict) === works ? [] : [
        `policies.realtime-conversations ${verdict.status} (${verdict.findings.map((f) => f.detail).join('; ') || verdict.summary}) but the sync ${works ? 'worked' : 'failed'}: ` +
          API_ROLES.map((r) => `${r}: ${say(step(j, r, 'insert-conversation'))}, ${say(step(j, r, 'update-conversation'))}`).join(' | '),
      ];
    },
    (j) => stepSemantics(j, ['realtime_conversations']),
  ],
  grants: [
    // Every privilege the check asks for is used by some probe step, so a missing one is a 42501 there.
    (j) => {
      const denied = API_ROLES.flatMap((r) => steps(j, r).filter((s) => s.step !== 'delete-published' && s.code === '42501' && /^permission denied for table/.test(s.message ?? '')).map((s) => `${r}: ${say(s)}`));
      const verdict = j.results['permissions.grants']!;
      tally(`denied:${denied.length > 0}`);
      if (verdict.status === 'warn') tally('grants:warn');
      return passes(verdict) === !denied.length ? [] : [`permissions.grants ${verdict.status} (${verdict.findings.map((f) => f.detail).join('; ')}) but Postgres denied: ${denied.join(' | ') || 'nothing'}`];
    },
  ],
  sync: [
    // search_path = '' breaks the guide's unqualified insert itself (functions.search-path reports that);
    // whether the trigger fires is then unobservable through the sync.
    (j) => {
      if (j.state.searchPath === "''") return [];
      const synced = j.obs.sync.inserted && j.obs.sync.updated;
      tally(`synced:${synced}`);
      const verdict = j.results['triggers.sync-realtime']!;
      return passes(verdict) === synced ? [] : [`triggers.sync-realtime ${verdict.status} (${verdict.findings.map((f) => f.detail).join('; ')}) but the sync inserted=${j.obs.sync.inserted} updated=${j.obs.sync.updated}`];
    },
    // Only SECURITY DEFINER functions are judged: an invoker function runs with the caller's own rights.
    (j) => {
      if (!j.state.definer || j.obs.shadowed === null) return [];
      tally(`shadowed:${j.obs.shadowed}`);
      const verdict = j.results['functions.search-path']!;
      return passes(verdict) === !j.obs.shadowed ? [] : [`functions.search-path ${verdict.status} with search_path ${j.state.searchPath ?? '(none)'} but a temp table ${j.obs.shadowed ? 'did' : 'did not'} capture the write`];
    },
    // Deliberate: functions.security-definer fails every SECURITY INVOKER sync function (the guide's step 2),
    // even where the roles' own grants would let it write. Compared one way: a DEFINER function never
    // meets "permission denied for table realtime_conversations".
    (j) => {
      if (j.results['functions.security-definer']!.status !== 'pass') return [];
      return API_ROLES.flatMap((r) => {
        const s = step(j, r, 'insert-conversation');
        return s?.code === '42501' ? [`functions.security-definer passed but ${r}: ${say(s)}`] : [];
      });
    },
  ],
  'table-policies': [
    (j) => stepSemantics(j, ['conversations', 'messages', 'realtime_conversations']),
    // permissions.policies judges each table as if RLS were on (the guide enables it everywhere): where it
    // is on, a table it reports lets the role do nothing the probe tries. The converse is deliberately not
    // required: a command allowed without SELECT visibility (e.g. INSERT with no SELECT policy) is real,
    // but every probe statement reads its rows back.
    (j) => {
      const out: string[] = [];
      for (const f of j.results['permissions.policies']!.findings) {
        const table = f.object.replace(/^public\./, '');
        if (!j.snap.tables.find((t) => t.name === table)?.rlsEnabled) continue;
        tally('policies-finding');
        const who = API_ROLES.filter((r) => f.detail.split(/ (?:is|are) granted/)[0]!.split(', ').includes(r));
        for (const r of who) {
          const worked = steps(j, r).filter((s) => s.table === `public.${table}` && ok(s));
          if (worked.length) out.push(`permissions.policies says ${r} can do nothing on ${table}, but ${worked.map(say).join(', ')}`);
        }
      }
      return out;
    },
    // Deliberate: policies.realtime-conversations judges realtime_conversations' policies even when the
    // sync function is SECURITY DEFINER (owned by a superuser, it bypasses them): the guide's step 1.
  ],
};

/** Each probe step on these tables succeeds exactly when the policy semantics allow all the commands it needs. */
function stepSemantics(j: Judged, tables: string[]): string[] {
  const sem = new PolicySemantics(j.snap);
  const out: string[] = [];
  for (const role of API_ROLES) {
    for (const s of steps(j, role)) {
      const table = j.snap.tables.find((t) => `public.${t.name}` === s.table);
      const commands = STEP_COMMANDS[s.step];
      if (!table || !commands || !tables.includes(table.name) || (s.outcome !== 'ok' && s.outcome !== 'no-rows' && s.outcome !== 'error')) continue;
      // The widget's inserts fire the sync trigger: when it runs as the role, its write is judged elsewhere.
      if (s.step === 'insert-conversation' && !j.state.definer) continue;
      if ((s.step === 'update-conversation' || (s.step === 'update-published' && table.name === 'conversations')) && !j.state.definer) continue;
      const refused = commands.map((c) => ({ c, v: sem.rowSecurity(table, role, c) })).filter((x) => !x.v.allowed);
      if (table.rlsEnabled && /owns the table/.test(sem.rowSecurity(table, role, 'SELECT').reason)) tally('owner-bypass');
      const predicted = refused.length === 0;
      tally(`step:${predicted}`);
      if (predicted !== ok(s)) {
        out.push(`${role} ${say(s)}; semantics predicted ${predicted ? 'allowed' : `refused (${refused.map((x) => `${x.c}: ${x.v.reason}`).join('; ')})`}`);
      }
    }
  }
  return out;
}

describe(`differential: database verdicts agree with Postgres (${PER_FAMILY} states per family)`, () => {
  for (const family of FAMILIES) {
    it(`${family}`, async () => {
      const disagreements: string[] = [];
      seen.clear();
      for (let i = 0; i < PER_FAMILY; i++) {
        const seed = BASE_SEED + FAMILIES.indexOf(family) * 10_000 + i;
        const state = generateState(seed, family, ROLES);
        const j = await judge(state);
        expect(j.obs.probe.status, `seed ${seed}: ${j.obs.probe.reason}`).toBe('probed');
        for (const compare of COMPARISONS[family]) {
          for (const d of compare(j)) disagreements.push(`seed ${seed} (${family}): ${d}\n    state: ${state.sql.replace(/\n\s*/g, ' ')}`);
        }
      }
      expect(disagreements.slice(0, 8).join('\n')).toBe('');
      expect(MUST_SEE[family].filter((label) => !seen.get(label)), `comparisons never exercised: ${JSON.stringify(Object.fromEntries(seen))}`).toEqual([]);
      // A state takes tens of milliseconds; the bound only keeps a stuck server from hanging the run.
    }, PER_FAMILY * 1000);
  }
});
