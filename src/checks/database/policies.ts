import type { Command, PolicyInfo } from '../../db/catalog.js';

/** Whether a permissive policy lets `role` run `command` (ALL covers every command, public every role). */
export function policyGrants(p: PolicyInfo, command: Exclude<Command, 'ALL'>, role: string): boolean {
  return p.permissive && (p.command === command || p.command === 'ALL') && (p.roles.includes('public') || p.roles.includes(role));
}

export function hasPolicyFor(policies: PolicyInfo[], command: Exclude<Command, 'ALL'>, role: string): boolean {
  return policies.some((p) => policyGrants(p, command, role));
}
