import type { Check } from '../types.js';
import { guideTables, missingTable } from './tables.js';

const STATE: Record<string, string> = {
  D: 'is disabled',
  R: 'fires only in replica mode (session_replication_role = replica), so the app\'s inserts skip it',
};

export const triggersSyncRealtime: Check<'database'> = {
  id: 'triggers.sync-realtime',
  section: 'widget-auth',
  title: 'Sync trigger is installed and enabled',
  verifies: 'sync_realtime_conversations_trigger exists on conversations, is enabled, and calls the sync function.',
  guideRef: 'Widget Authentication Failures → Root Cause 2: sync_realtime_conversations_trigger fires on INSERT',
  fix: null,
  input: 'database',
  judge(snap, config) {
    const g = guideTables(snap, config).find((t) => t.key === 'conversations')!;
    if (!g.table) return { status: 'fail', summary: `${g.object} ${g.notATable ? `is ${g.notATable}, not a table` : "does not exist"}`, findings: [missingTable(g)] };
    const trigger = g.table.triggers.find((t) => t.name === config.trigger);
    const object = `${config.trigger} on ${g.object}`;
    if (!trigger) {
      return { status: 'fail', summary: 'realtime_conversations is never updated: the sync trigger is missing',
        findings: [{ object, detail: 'trigger does not exist; recreate it from your Campfire migrations' }] };
    }
    const findings = [];
    if (STATE[trigger.enabled]) findings.push({ object, detail: `trigger ${STATE[trigger.enabled]}: ALTER TABLE ${g.object} ENABLE TRIGGER ${config.trigger};` });
    const expected = `${config.schema}.${config.functions.sync}`;
    const actual = `${trigger.functionSchema}.${trigger.functionName}`;
    if (actual !== expected) findings.push({ object, detail: `calls ${actual}(), not ${expected}()` });
    if (findings.length) return { status: 'fail', summary: 'the sync trigger will not keep realtime_conversations in step', findings };
    return { status: 'pass', summary: `${config.trigger} is enabled on ${g.object} and calls ${expected}()` };
  },
};
