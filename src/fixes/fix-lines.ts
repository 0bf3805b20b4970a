import type { CheckResult } from '../checks/types.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import { DEFAULT_POLICY_MODE, planPermissions } from './permissions.js';
import type { Plan } from './plan.js';
import { planPublication } from './publication.js';

/**
 * A failing check's "Fix:" line names the campfire command that repairs it. When that command would
 * deliberately leave the item alone (a decision, a refusal, or a config that names nothing real), pointing
 * back to it loops: "nothing to do", and doctor fails again. This replaces such a line with what will fix
 * it, from the very plan the command would compute on this snapshot.
 */
export function explainFixLines(results: CheckResult[], snap: CatalogSnapshot, config: CampfireConfig): void {
  const planners: Record<string, () => Plan> = {
    'campfire fix-permissions': () => planPermissions(snap, config, { policyMode: DEFAULT_POLICY_MODE }),
    'campfire fix-publication': () => planPublication(snap, config, { fullTables: 'refuse' }),
  };
  const plans = new Map<string, Plan | Error>();
  for (const r of results) {
    if (!r.fix || !(r.fix in planners) || (r.status !== 'fail' && r.status !== 'warn')) continue;
    if (!plans.has(r.fix)) {
      try {
        plans.set(r.fix, planners[r.fix]!());
      } catch (err) {
        plans.set(r.fix, err as Error);
      }
    }
    const plan = plans.get(r.fix)!;
    if (plan instanceof Error) {
      r.fix = `fix the configuration first (${r.fix.replace('campfire ', '')} refuses: ${plan.message})`;
      continue;
    }
    if (plan.steps.some((s) => s.repairs.includes(r.id))) continue;
    const left = [...plan.refusals, ...plan.decisions].filter((d) => d.leaves.includes(r.id));
    if (!left.length) continue;
    r.fix = `your decision (${r.fix.replace('campfire ', '')} leaves it): ${left.map((d) => `${d.object}: ${d.detail}`).join(' | ')}`;
  }
}
