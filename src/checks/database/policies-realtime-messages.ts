import type { PolicyInfo, RealtimeMessagesInfo, TableInfo } from '../../db/catalog.js';
import { PolicySemantics, type PolicyCommand } from '../../policies/semantics.js';
import { topicScope } from '../../policies/topic-scope.js';
import type { Check, Finding } from '../types.js';

const OBJECT = 'realtime.messages';
const VERB: Record<'SELECT' | 'INSERT', string> = { SELECT: 'read', INSERT: 'send to' };

/** What one admitting policy lets every session of `role` do, judged from what its expression reads. */
function reach(p: PolicyInfo, command: 'SELECT' | 'INSERT', role: string, sem: PolicySemantics, t: TableInfo, who: string): Finding {
  const expr = command === 'INSERT' ? (p.check ?? p.using) : p.using;
  const scope = topicScope(expr);
  const always = sem.alwaysTrue(t, p, command);
  const severity = role === 'anon' ? 'fail' : 'warn';
  const object = `${OBJECT} policy "${p.name}"`;
  if (always || !scope.topic) {
    return { object, severity, detail: `${who} can ${VERB[command]} every private channel: ${always ? 'the policy admits every row' : 'the policy never looks at realtime.topic()'}` };
  }
  const named = scope.topics.length ? `topics ${scope.topics.map((x) => `'${x}'`).join(', ')}` : 'the topics its expression selects';
  if (!scope.session) {
    return { object, severity, detail: `${who} can ${VERB[command]} ${named}: the policy restricts the topic but not who asks (no auth.uid(), auth.jwt() or claim in it)` };
  }
  return { object, detail: `${role}: ${VERB[command]} ${named}, tied to the session (${scope.topics.length ? 'topic and claims' : 'a lookup of the session'})` };
}

export const policiesRealtimeMessages: Check<'database'> = {
  id: 'policies.realtime-messages',
  section: 'beyond',
  title: 'Private channels admit only their own sessions (realtime.messages policies)',
  verifies:
    'realtime.messages (Realtime Authorization) has row level security on, and no policy lets anon, or every authenticated session, read or send on every private channel; topic-scoped policies are named with the topics they admit.',
  guideRef: 'Beyond the guide: Supabase Realtime Authorization (RLS policies on realtime.messages decide who joins a private channel)',
  fix: null,
  input: 'database',
  judge(snap, config) {
    const m: RealtimeMessagesInfo | null | undefined = snap.realtimeMessages;
    if (m === undefined) return { status: 'skip', summary: 'realtime.messages was not read' };
    if (m === null) {
      return {
        status: 'skip',
        summary: 'authorization not available: realtime.messages does not exist (a project from before Realtime Authorization), so every channel is public',
      };
    }
    const roles = [config.roles.anon, config.roles.authenticated];
    const who = (role: string) => (role === config.roles.anon ? 'anyone with your publishable key (anon)' : `every ${role} session (with anonymous sign-ins, every visitor)`);
    const granted = (role: string, privilege: 'SELECT' | 'INSERT') => m.privileges.some((p) => p.role === role && p.privilege === privilege && p.granted);
    if (!m.rlsEnabled) {
      const open = roles.filter((r) => granted(r, 'SELECT'));
      return {
        status: open.length ? 'fail' : 'warn',
        summary: `row level security is off on realtime.messages: ${open.length ? `${open.join(' and ')} can join every private channel` : 'no policy decides who joins a private channel'}`,
        findings: open.map((r) => ({ object: OBJECT, detail: `${who(r)} can read every private channel (RLS off, SELECT granted)` })),
      };
    }
    const table = { ...m, isGuideTable: false } as TableInfo;
    const sem = new PolicySemantics(snap);
    const findings: Finding[] = [];
    const usable: string[] = [];
    for (const role of roles) {
      for (const command of ['SELECT', 'INSERT'] as const) {
        if (!granted(role, command)) continue;
        const verdict = sem.rowSecurity(table, role, command as PolicyCommand);
        if (!verdict.allowed) continue;
        if (command === 'SELECT') usable.push(role);
        const admitting = m.policies.filter((p) => verdict.grantedBy.includes(p.name));
        if (!admitting.length) findings.push({ object: OBJECT, severity: role === config.roles.anon ? 'fail' : 'warn', detail: `${who(role)} can ${VERB[command]} every private channel: ${verdict.reason}` });
        for (const p of admitting) findings.push(reach(p, command, role === config.roles.anon ? 'anon' : role, sem, table, who(role)));
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
    return { status: 'pass', summary: `every policy that admits ${usable.join(' and ')} ties the topic to the session`, findings };
  },
};
