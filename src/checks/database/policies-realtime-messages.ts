import type { CampfireConfig } from '../../config.js';
import type { CatalogSnapshot, PolicyInfo, RealtimeMessagesInfo, StrangerEvaluation, TableInfo } from '../../db/catalog.js';
import { PolicySemantics } from '../../policies/semantics.js';
import { topicScope } from '../../policies/topic-scope.js';
import type { Check, Finding } from '../types.js';

const OBJECT = 'realtime.messages';
type Command = 'SELECT' | 'INSERT';
const VERB: Record<Command, string> = { SELECT: 'read', INSERT: 'send to' };

/**
 * What Postgres said when a stranger asked (src/db/realtime-strangers.ts), combined as row security
 * combines policies: any applicable permissive policy true, and every applicable restrictive one true.
 * null: some expression raised, so the answer is unknown.
 */
function strangerAdmitted(evals: StrangerEvaluation[], session: 'anon' | 'stranger', applicable: PolicyInfo[], command: Command): { admitted: boolean | null; topic?: string; by: string[]; error?: string } {
  const topics = [...new Set(evals.filter((e) => e.session === session).map((e) => e.topic))];
  let unknown: string | undefined;
  for (const topic of topics) {
    const value = (p: PolicyInfo) => {
      const which = command === 'INSERT' && p.check !== null ? 'check' : 'using';
      if (p[which] === null) return false;
      const e = evals.find((x) => x.session === session && x.topic === topic && x.policy === p.name && x.which === which);
      if (!e || e.value === null) unknown ??= e?.error ?? `policy "${p.name}" was not asked`;
      return e ? e.value : null;
    };
    const permissive = applicable.filter((p) => p.permissive);
    const restrictive = applicable.filter((p) => !p.permissive);
    const by = permissive.filter((p) => value(p) === true).map((p) => p.name);
    const gate = restrictive.map(value);
    if (by.length && gate.every((v) => v === true)) return { admitted: true, topic, by };
    if (by.length && gate.some((v) => v === null)) return { admitted: null, by, error: unknown };
    if (!by.length && permissive.some((p) => value(p) === null)) return { admitted: null, by: [], error: unknown };
  }
  return { admitted: topics.length ? false : null, by: [], ...(topics.length ? {} : { error: 'no stranger was asked' }) };
}

/** The static reading of one admitting policy, for naming its topics (and as the verdict when Postgres could not answer). */
function staticReach(p: PolicyInfo, command: Command, anon: boolean, sem: PolicySemantics, t: TableInfo, who: string): Finding {
  const expr = command === 'INSERT' ? (p.check ?? p.using) : p.using;
  const scope = topicScope(expr);
  const always = sem.alwaysTrue(t, p, command);
  const severity = anon ? 'fail' : 'warn';
  const object = `${OBJECT} policy "${p.name}"`;
  if (always || !scope.topic) {
    return { object, severity, detail: `${who} can ${VERB[command]} every private channel: ${always ? 'the policy admits every row' : 'the policy never looks at realtime.topic()'}` };
  }
  const named = scope.topics.length ? `topics ${scope.topics.map((x) => `'${x}'`).join(', ')}` : 'the topics its expression selects';
  if (!scope.session) {
    return { object, severity, detail: `${who} can ${VERB[command]} ${named}: the policy restricts the topic but not who asks (no auth.uid(), auth.jwt() or claim in it)` };
  }
  return { object, detail: `${VERB[command]} ${named}, tied to the session (${scope.topics.length ? 'topic and claims' : 'a lookup of the session'})` };
}

function judgeRole(m: RealtimeMessagesInfo, snap: CatalogSnapshot, config: CampfireConfig, role: string, command: Command, sem: PolicySemantics, table: TableInfo): Finding[] {
  const anon = role === config.roles.anon;
  const who = anon ? 'anyone with your publishable key (anon)' : `a signed-in session of no organisation (role ${role}; with anonymous sign-ins, any visitor)`;
  const verdict = sem.rowSecurity(table, role, command);
  if (!verdict.allowed) return [];
  const admitting = m.policies.filter((p) => verdict.grantedBy.includes(p.name));
  const applicable = m.policies.filter((p) => sem.covers(p, command) && sem.appliesTo(p, role));
  const asked = strangerAdmitted(snap.realtimeStrangers ?? [], anon ? 'anon' : 'stranger', applicable, command);
  if (asked.admitted === true) {
    return [{
      object: `${OBJECT} policy ${asked.by.map((n) => `"${n}"`).join(', ')}`,
      severity: anon ? 'fail' : 'warn',
      detail: `${who} can ${VERB[command]} another organisation's private channel: Postgres admitted it to ${asked.topic} when asked as Realtime asks`,
    }];
  }
  if (asked.admitted === false) {
    return admitting.map((p) => {
      const s = staticReach(p, command, anon, sem, table, who);
      const named = s.severity ? VERB[command] : s.detail.replace(/, tied to the session.*$/, '');
      return { object: s.object, detail: `${role}: ${named}; a stranger asking for another organisation's channel is refused` };
    });
  }
  const why = `Postgres could not answer for a stranger (${asked.error ?? 'unknown'}), so this is read from the policy's text`;
  return admitting.map((p) => {
    const s = staticReach(p, command, anon, sem, table, who);
    return { ...s, detail: `${s.detail} (${why})` };
  });
}

export const policiesRealtimeMessages: Check<'database'> = {
  id: 'policies.realtime-messages',
  section: 'beyond',
  title: 'Private channels admit only their own sessions (realtime.messages policies)',
  verifies:
    "realtime.messages (Realtime Authorization) has row level security on, and its policies refuse anon, and a signed-in session of no organisation, on another organisation's channel — asked of Postgres as Realtime asks, read-only; the topics each policy admits are named.",
  guideRef: 'Beyond the guide: Supabase Realtime Authorization (RLS policies on realtime.messages decide who joins a private channel)',
  fix: null,
  input: 'database',
  judge(snap, config) {
    const m = snap.realtimeMessages;
    if (m === undefined) return { status: 'skip', summary: 'realtime.messages was not read' };
    if (m === null) {
      return {
        status: 'skip',
        summary: 'authorization not available: realtime.messages does not exist (a project from before Realtime Authorization), so every channel is public',
      };
    }
    const roles = [config.roles.anon, config.roles.authenticated];
    const granted = (role: string, privilege: Command) => m.privileges.some((p) => p.role === role && p.privilege === privilege && p.granted);
    if (!m.rlsEnabled) {
      const open = roles.filter((r) => granted(r, 'SELECT'));
      return {
        status: open.length ? 'fail' : 'warn',
        summary: `row level security is off on realtime.messages: ${open.length ? `${open.join(' and ')} can join every private channel` : 'no policy decides who joins a private channel'}`,
        findings: open.map((r) => ({ object: OBJECT, detail: `${r} can read every private channel (RLS off, SELECT granted)` })),
      };
    }
    const table = { ...m, isGuideTable: false } as TableInfo;
    const sem = new PolicySemantics(snap);
    const findings: Finding[] = [];
    const usable: string[] = [];
    for (const role of roles) {
      for (const command of ['SELECT', 'INSERT'] as const) {
        if (!granted(role, command)) continue;
        const found = judgeRole(m, snap, config, role, command, sem, table);
        if (found.length && command === 'SELECT') usable.push(role);
        findings.push(...found);
      }
    }
    const failed = findings.find((f) => f.severity === 'fail');
    const warned = findings.find((f) => f.severity === 'warn');
    const advice = 'Realtime runs these policies when a private channel is joined, as the joining role with realtime.topic() set to the channel and request.jwt.claims to the session: a policy must compare the topic with something only that session has (an organisation claim, or a membership lookup by auth.uid()). `campfire private-channels --claim CLAIM` writes examples.';
    if (failed) return { status: 'fail', summary: failed.detail, findings, advice };
    if (warned) return { status: 'warn', summary: warned.detail, findings, advice };
    if (!usable.length) {
      return { status: 'pass', summary: 'row level security is on and no policy admits anon or authenticated: every private channel join is refused (public channels are not governed by these policies)' };
    }
    return { status: 'pass', summary: `${usable.join(' and ')} can join private channels, and a stranger is refused on another organisation's`, findings };
  },
};
