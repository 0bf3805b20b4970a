import { said } from '../../probe/render.js';
import type { ProbeStep, RoleProbe } from '../../probe/types.js';
import type { Check, Finding } from '../types.js';
import { explainingCheck } from './explain.js';
import type { RehearsalInput } from './input.js';

/** The widget's own statements: a refusal here is the guide's symptom. */
const WIDGET_STEPS = new Set(['insert-conversation', 'insert-message', 'update-conversation']);
/** A publication problem breaks UPDATE/DELETE for every writer, whoever the role is. */
const PUBLICATION_CODES = new Set(['42P10', '55000']);

export const rehearsalWidgetPath: Check<'rehearsal'> = {
  id: 'rehearsal.widget-path',
  section: 'widget-auth',
  title: 'The widget path works when rehearsed as anon and authenticated (doctor --rehearse)',
  verifies:
    'Opt-in (--rehearse): acting as anon, then authenticated, in a transaction that is always rolled back, the widget inserts a conversation (the sync trigger writes realtime_conversations), inserts a message and updates the conversation without an error from Postgres, and UPDATE/DELETE on the published guide tables meet no replica-identity error.',
  guideRef: 'Widget Authentication Failures → Root Cause and Verification; Quick Diagnostic Checklist → 2',
  fix: 'campfire fix-permissions',
  input: 'rehearsal',
  judge(input: RehearsalInput, config) {
    const p = input.probe;
    if (p.status === 'skipped') return { status: 'skip', summary: `could not rehearse: ${p.reason}` };
    const org = `app.current_organization_id = ${p.organizationId}${p.organizationMarked ? ' (campfire\'s marked value; give --org-id to use yours)' : ''}`;
    const findings: Finding[] = [];
    const failures: string[] = [];
    const notRehearsed: string[] = [];
    const hidden: string[] = [];
    for (const role of p.roles) {
      if (role.status === 'skipped') {
        notRehearsed.push(`${role.role}: ${role.reason}`);
        findings.push({ object: role.role, detail: `could not rehearse: ${role.reason}`, severity: 'warn' });
        continue;
      }
      for (const s of relevant(role)) {
        const explained = explainingCheck(s, config.tables);
        const detail = `${s.step} (${s.command} ${s.table}): ${said(s)}${s.outcome === 'error' ? ` — statement: ${s.statement}` : ''}${explained ? ` — explained by ${explained}` : ''}`;
        const failing = s.outcome === 'error' && (WIDGET_STEPS.has(s.step) || PUBLICATION_CODES.has(s.code ?? ''));
        if (failing) failures.push(`${role.role} ${s.step}: ${s.message}`);
        if (s.outcome === 'not-rehearsed') notRehearsed.push(`${role.role} ${s.step}: ${(s.message ?? '').replace(/^could not rehearse: /, '')}`);
        if (s.step === 'read-realtime-conversation' && s.outcome === 'no-rows') hidden.push(role.role);
        findings.push({ object: role.role, detail, ...(failing ? { severity: 'fail' as const } : s.outcome === 'not-rehearsed' ? { severity: 'warn' as const } : {}) });
      }
    }
    findings.push({ object: 'rehearsal', detail: `${org}; every row was rolled back` });
    if (failures.length) {
      return {
        status: 'fail',
        summary: `Postgres refused the widget path: ${failures.slice(0, 2).join('; ')}${failures.length > 2 ? `; and ${failures.length - 2} more` : ''}`,
        findings,
        advice: 'This is what the app meets on every widget request. "permission denied for table realtime_conversations" raised inside sync_realtime_conversations() is the guide\'s symptom: the trigger runs as the widget\'s role. The check named beside each error says which catalog fact causes it.',
      };
    }
    if (notRehearsed.length) {
      const all = p.roles.every((r) => r.status === 'skipped' || r.steps.filter((s) => WIDGET_STEPS.has(s.step)).every((s) => s.outcome === 'not-rehearsed'));
      return { status: all ? 'skip' : 'warn', summary: `could not rehearse: ${notRehearsed[0]}${notRehearsed.length > 1 ? ` (and ${notRehearsed.length - 1} more)` : ''}`, findings };
    }
    if (hidden.length) {
      return { status: 'warn', summary: `the widget path works, but ${hidden.join(' and ')} cannot read the realtime_conversations row the trigger wrote for ${org.split(' (')[0]}: subscribers would receive nothing`, findings };
    }
    return { status: 'pass', summary: `anon and authenticated inserted a conversation (the trigger wrote realtime_conversations), inserted a message and updated the conversation; all rolled back`, findings };
  },
};

function relevant(role: RoleProbe): ProbeStep[] {
  return role.steps.filter((s) => WIDGET_STEPS.has(s.step) || s.step === 'read-realtime-conversation' || (s.outcome === 'error' && PUBLICATION_CODES.has(s.code ?? '')));
}
