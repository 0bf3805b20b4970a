import type { CatalogSnapshot, FoldedConstant, PolicyInfo, TableInfo } from '../db/catalog.js';

/**
 * What row level security lets a role do, decided the way Postgres decides it
 * (src/backend/rewrite/rowsecurity.c; PostgreSQL docs, CREATE POLICY, "Policies Applied by Command Type"):
 *
 * - A policy applies to a role when it is TO PUBLIC, TO the role, or TO a role whose privileges the role
 *   has (membership with INHERIT; a NOINHERIT member does not get the policy). Membership comes from the
 *   catalog through pg_has_role(…, 'USAGE'), Postgres's own test.
 * - Permissive policies are OR'ed, separately for each part: the rows an UPDATE can see (USING) and the
 *   new rows it may write (WITH CHECK, or USING when there is no WITH CHECK) may come from different
 *   policies. A part no applicable permissive policy fills admits nothing, so a permissive policy with
 *   neither USING nor WITH CHECK grants nothing.
 * - Restrictive policies are AND'ed on top and never grant: without a permissive policy nothing passes.
 * - SELECT and DELETE are judged by USING, INSERT by WITH CHECK (USING for a FOR ALL policy without
 *   one), UPDATE by both. INSERT … ON CONFLICT DO UPDATE (the guide's sync trigger) also needs the
 *   UPDATE policies and SELECT visibility of the rows.
 * - Superusers, BYPASSRLS roles and the table's owner (unless FORCE ROW LEVEL SECURITY) skip policies.
 */

export type PolicyCommand = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
/** What a statement needs; UPSERT is INSERT … ON CONFLICT DO UPDATE. */
export type Operation = PolicyCommand | 'UPSERT';
/** How many rows an expression admits: every row, some (depends on the row or session), or none. */
export type Admission = 'all' | 'some' | 'none';

/** One part of a command: the rows it can see (USING) or the rows it may write (check). */
type Part = 'using' | 'check';

export interface PolicyTarget {
  schema: string;
  name: string;
}

export interface RowSecurityVerdict {
  allowed: boolean;
  /** Why, in words a finding can carry ("RLS disabled", "no applicable policy admits new rows", …). */
  reason: string;
  /** Permissive policies that let the role through, by name. */
  grantedBy: string[];
}

const PARTS: Record<PolicyCommand, Part[]> = {
  SELECT: ['using'],
  DELETE: ['using'],
  INSERT: ['check'],
  UPDATE: ['using', 'check'],
};

export class PolicySemantics {
  constructor(private readonly snap: Pick<CatalogSnapshot, 'roles' | 'roleMemberships' | 'policyFolding'>) {}

  /** Roles whose privileges `role` has, itself included. */
  privilegesOf(role: string): Set<string> {
    const m = this.snap.roleMemberships.find((r) => r.role === role);
    return new Set([role, ...(m?.privilegesOf ?? [])]);
  }

  /** TO PUBLIC, TO the role, or TO a role it inherits privileges from. */
  appliesTo(p: PolicyInfo, role: string): boolean {
    const mine = this.privilegesOf(role);
    return p.roles.some((r) => r === 'public' || mine.has(r));
  }

  /** Whether the policy is one Postgres consults for `command` (FOR ALL covers every command). */
  covers(p: PolicyInfo, command: PolicyCommand): boolean {
    return p.command === command || p.command === 'ALL';
  }

  /** What Postgres folded an expression of this policy to ('row' when it depends on the row). */
  folded(t: PolicyTarget, p: PolicyInfo, which: 'using' | 'check'): FoldedConstant {
    const f = this.snap.policyFolding.find((x) => x.schema === t.schema && x.table === t.name && x.policy === p.name);
    const planned = f ? f[which] : null;
    if (planned !== null) return planned;
    // Unasked (no SELECT on the table, or a subquery): only the literal spelling is recognised.
    const text = p[which];
    if (text === null) return null;
    return /^\(*\s*true\s*\)*$/i.test(text.trim()) ? 'true' : 'row';
  }

  /** The admission of one part of a policy: USING for visible rows, WITH CHECK (else USING) for new rows. */
  part(t: PolicyTarget, p: PolicyInfo, part: Part): Admission {
    const which = part === 'check' && p.check !== null ? 'check' : 'using';
    if (p[which] === null) return 'none';
    const c = this.folded(t, p, which);
    return c === 'true' ? 'all' : c === 'false' || c === 'null' ? 'none' : 'some';
  }

  /** How much of `command` a single policy admits (the weakest of its parts). */
  admission(t: PolicyTarget, p: PolicyInfo, command: PolicyCommand): Admission {
    return weakest(PARTS[command].map((part) => this.part(t, p, part)));
  }

  /** Whether a permissive policy admits every row for `command`, as `WITH CHECK (true)` does. */
  alwaysTrue(t: PolicyTarget, p: PolicyInfo, command: PolicyCommand): boolean {
    return p.permissive && this.covers(p, command) && this.admission(t, p, command) === 'all';
  }

  /** Whether the role skips row security on this table, and why. */
  bypass(table: TableInfo, role: string): string | null {
    const info = this.snap.roles.find((r) => r.name === role);
    if (info?.superuser) return `${role} is a superuser`;
    if (info?.bypassRls) return `${role} has BYPASSRLS`;
    if (!table.rlsEnabled) return 'row level security is disabled';
    if (!table.rlsForced && this.privilegesOf(role).has(table.owner)) return `${role} owns the table`;
    return null;
  }

  /** Whether row security lets `role` run `op` on the table for rows its predicates accept. */
  rowSecurity(table: TableInfo, role: string, op: Operation): RowSecurityVerdict {
    const skip = this.bypass(table, role);
    if (skip) return { allowed: true, reason: skip, grantedBy: [] };
    const commands: PolicyCommand[] = op === 'UPSERT' ? ['INSERT', 'UPDATE', 'SELECT'] : [op];
    const grantedBy = new Set<string>();
    for (const command of commands) {
      const applicable = table.policies.filter((p) => this.covers(p, command) && this.appliesTo(p, role));
      for (const part of PARTS[command]) {
        const admitting = applicable.filter((p) => p.permissive && this.part(table, p, part) !== 'none');
        if (!admitting.length) {
          const words = part === 'using' ? 'rows to' : 'new rows for';
          return { allowed: false, reason: `no permissive policy for ${role} admits ${words} ${command}`, grantedBy: [] };
        }
        admitting.forEach((p) => grantedBy.add(p.name));
        const denying = applicable.find((p) => !p.permissive && this.restrictiveDenies(table, p, part));
        if (denying) return { allowed: false, reason: `restrictive policy "${denying.name}" admits no row for ${command}`, grantedBy: [] };
      }
    }
    return { allowed: true, reason: `allowed by ${[...grantedBy].join(', ')}`, grantedBy: [...grantedBy] };
  }

  /** A restrictive policy's part imposes nothing when absent, and blocks everything when it folds to false or null. */
  private restrictiveDenies(t: PolicyTarget, p: PolicyInfo, part: Part): boolean {
    const which = part === 'check' && p.check !== null ? 'check' : 'using';
    if (p[which] === null) return false;
    const c = this.folded(t, p, which);
    return c === 'false' || c === 'null';
  }
}

function weakest(a: Admission[]): Admission {
  return a.includes('none') ? 'none' : a.includes('some') ? 'some' : 'all';
}
