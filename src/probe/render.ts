import type { ChalkInstance } from 'chalk';
import type { ProbeResult, ProbeStep, Violation } from './types.js';

/** One word for what Postgres did, plus its own words when it refused. */
export function said(s: ProbeStep): string {
  switch (s.outcome) {
    case 'ok': return s.command === 'SELECT' ? `allowed (${s.rows} row${s.rows === 1 ? '' : 's'} seen)` : 'allowed';
    case 'no-rows': return 'no error, but row level security hid the probe row (0 rows)';
    case 'error': return `${s.code} ${s.message}${s.detail ? ` (${s.detail})` : ''}`;
    default: return s.message ?? s.outcome;
  }
}

function mark(s: ProbeStep, c: ChalkInstance): string {
  if (s.outcome === 'ok') return c.green('✓');
  if (s.outcome === 'error') return c.red('✗');
  if (s.outcome === 'no-rows') return c.yellow('·');
  return c.dim('?');
}

/** Every role and step, as doctor --rehearse and a failed apply show them. */
export function renderProbe(r: ProbeResult, c: ChalkInstance, indent = '  '): string[] {
  if (r.status === 'skipped') return [`${indent}probe skipped: ${r.reason}`];
  const lines: string[] = [];
  for (const role of r.roles) {
    if (role.status === 'skipped') {
      lines.push(`${indent}${c.bold(role.role)}: skipped — ${role.reason}`);
      continue;
    }
    lines.push(`${indent}${c.bold(role.role)} (${role.why}):`);
    for (const s of role.steps) lines.push(`${indent}  ${mark(s, c)} ${s.step} ${s.table}: ${said(s)}`);
  }
  return lines;
}

/** What apply's probe saw: only what changed between before and after, the violations, and what it could not judge. */
export function renderApplyProbe(p: { before: ProbeResult; after?: ProbeResult; violations: Violation[]; unjudged: string[] }, c: ChalkInstance): string {
  const lines: string[] = [];
  if (!p.after) return '';
  const probed = p.after.roles.filter((r) => r.status === 'probed').map((r) => r.role);
  lines.push(`Behaviour (probed as ${probed.join(', ') || 'no role'} in SAVEPOINTs that were rolled back; organization ${p.after.organizationId}${p.after.organizationMarked ? ', campfire\'s marked value' : ''}):`);
  for (const role of p.after.roles) {
    if (role.status === 'skipped') {
      lines.push(`  ${role.role}: not probed — ${role.reason}`);
      continue;
    }
    const was = p.before.roles.find((r) => r.role === role.role);
    for (const s of role.steps) {
      const prior = was?.steps.find((x) => x.step === s.step && x.table === s.table);
      if (prior && prior.outcome === s.outcome && prior.code === s.code) continue;
      lines.push(`  ${mark(s, c)} ${role.role} ${s.step} ${s.table}: ${prior ? `${said(prior)} → ` : ''}${said(s)}`);
    }
  }
  if (lines.length === 1) lines.push('  nothing any role can do changed');
  for (const v of p.violations) lines.push(c.red(`  ✗ ${v.message}`));
  for (const u of p.unjudged) lines.push(c.yellow(`  ? could not judge: ${u}`));
  return `${lines.join('\n')}\n`;
}
