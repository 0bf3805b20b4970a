import type { ProbeStep } from '../../probe/types.js';

/**
 * Which doctor check explains what Postgres said during the rehearsal: the static verdict beside the
 * behaviour, so a person sees both the symptom and the catalog fact behind it.
 */
export function explainingCheck(s: ProbeStep, tables: { realtimeConversations: string }): string | null {
  if (s.outcome !== 'error') return null;
  const msg = s.message ?? '';
  const inTrigger = Boolean(s.where && /function/i.test(s.where));
  if (s.code === '42P10' || s.code === '55000' && /replica identity/.test(msg)) return 'publication.replica-identity';
  if (s.code === '42P01' && inTrigger) return 'functions.search-path';
  if (/row-level security policy/.test(msg)) {
    return msg.includes(`"${tables.realtimeConversations}"`) ? 'policies.realtime-conversations' : 'permissions.policies';
  }
  if (s.code === '42501' && inTrigger && msg.includes(tables.realtimeConversations)) return 'functions.security-definer';
  if (s.code === '42501') return 'permissions.grants';
  return null;
}
