import type { Check, Finding } from '../types.js';
import { functionsNamed, signature } from './functions.js';

export const functionsSecurityDefiner: Check<'database'> = {
  id: 'functions.security-definer',
  section: 'widget-auth',
  title: 'Sync trigger function is SECURITY DEFINER',
  verifies:
    'The sync trigger function (sync_realtime_conversations) runs with its owner\'s privileges (prosecdef); update_updated_at_column is reported as the guide does, without failing.',
  guideRef: 'Widget Authentication Failures → 2. Fix Trigger Function Security Context',
  fix: 'campfire fix-permissions',
  input: 'database',
  judge(snap, config) {
    const sync = functionsNamed(snap, config.schema, config.functions.sync);
    const updatedAt = functionsNamed(snap, config.schema, config.functions.updatedAt);
    const info = updatedAt.length
      ? `; ${updatedAt.map((f) => `${f.name} is ${f.securityDefiner ? 'SECURITY DEFINER' : 'SECURITY INVOKER'}`).join(', ')} (it only edits NEW, so either works)`
      : `; ${config.functions.updatedAt} not found (not needed by realtime)`;
    if (!sync.length) {
      return {
        status: 'fail',
        summary: `${config.schema}.${config.functions.sync} does not exist${info}`,
        findings: [{ object: `${config.schema}.${config.functions.sync}`, detail: 'function does not exist' }],
      };
    }
    const findings: Finding[] = sync
      .filter((f) => !f.securityDefiner)
      .map((f) => ({ object: signature(f), detail: `SECURITY INVOKER: runs as the widget's role (anon), which cannot write realtime_conversations` }));
    if (findings.length) return { status: 'fail', summary: `the sync function lacks the privileges its insert needs${info}`, findings };
    return { status: 'pass', summary: `${sync.map(signature).join(', ')} is SECURITY DEFINER (owner ${sync[0]!.owner})${info}` };
  },
};
