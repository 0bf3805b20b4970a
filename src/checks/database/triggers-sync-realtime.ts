import type { TriggerEvents } from '../../db/catalog.js';
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
  verifies:
    'sync_realtime_conversations_trigger exists on conversations, is enabled, calls the sync function, and is a row-level AFTER trigger firing on INSERT and UPDATE (as the guide\'s sync does): a statement-level trigger has no NEW row, and a BEFORE trigger runs before the conversation exists.',
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
    const ev = snap.triggerEvents.find((e) => e.schema === g.table!.schema && e.table === g.table!.name && e.name === trigger.name);
    if (ev) findings.push(...firingProblems(ev).map((detail) => ({ object, detail })));
    if (findings.length) return { status: 'fail', summary: 'the sync trigger will not keep realtime_conversations in step', findings };
    const when = ev?.hasWhen ? ' (it has a WHEN condition: rows it excludes are not synced)' : '';
    return { status: 'pass', summary: `${config.trigger} is enabled on ${g.object}, fires AFTER INSERT OR UPDATE FOR EACH ROW and calls ${expected}()${when}` };
  },
};

/** What keeps the trigger from syncing every inserted and updated conversation, in words. */
function firingProblems(ev: TriggerEvents): string[] {
  const out: string[] = [];
  const fires = `fires ${ev.timing} ${ev.events.join(' OR ') || 'nothing'}${ev.updateColumns ? ' OF some columns' : ''} FOR EACH ${ev.rowLevel ? 'ROW' : 'STATEMENT'}`;
  if (!ev.rowLevel) out.push(`${fires}: a statement-level trigger has no NEW row to copy`);
  if (ev.timing !== 'AFTER') {
    out.push(`${fires}: it must fire AFTER, once the conversation row exists (realtime_conversations references it)`);
  }
  const missing = (['INSERT', 'UPDATE'] as const).filter((e) => !ev.events.includes(e));
  if (missing.length) out.push(`${fires}: never fires on ${missing.join(' or ')}, so those conversations never reach realtime_conversations`);
  else if (ev.updateColumns) out.push(`${fires}: updates of other columns are not synced`);
  return out;
}
