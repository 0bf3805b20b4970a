import type { Check, SectionId } from './types.js';
import { SECTIONS } from './types.js';
import { publicationExists } from './database/publication-exists.js';
import { publicationTables } from './database/publication-tables.js';
import { publicationScalarColumns } from './database/publication-scalar-columns.js';
import { publicationReplicaIdentity } from './database/publication-replica-identity.js';
import { policiesRealtimeConversations } from './database/policies-realtime-conversations.js';
import { functionsSecurityDefiner } from './database/functions-security-definer.js';
import { triggersSyncRealtime } from './database/triggers-sync-realtime.js';
import { permissionsGrants } from './database/permissions-grants.js';
import { permissionsRlsEnabled } from './database/permissions-rls-enabled.js';
import { permissionsPolicies } from './database/permissions-policies.js';
import { functionsSearchPath } from './database/functions-search-path.js';
import { policiesPermissive } from './database/policies-permissive.js';
import { policiesRealtimeMessages } from './database/policies-realtime-messages.js';
import { clientBroadcastOnly } from './client/broadcast-only.js';
import { clientChannelNames } from './client/channel-names.js';
import { clientEventNames } from './client/event-names.js';
import { clientCleanup } from './client/cleanup.js';
import { clientHeartbeat } from './client/heartbeat.js';
import { clientParse } from './client/parse.js';
import { clientChannelPrivacy } from './client/channel-privacy.js';
import { clientErrorHandling } from './client/error-handling.js';
import { clientReuse } from './client/client-reuse.js';
import { REALTIME_CHECKS } from './realtime/index.js';
import { logsBindingMismatch } from './logs/binding-mismatch.js';
import { httpWidgetAuth } from './http/widget-auth.js';
import { logsBroadcastSuccess } from './logs/broadcast-success.js';
import { httpWidgetMessages } from './http/widget-messages.js';
import { logsBroadcastLatency } from './logs/broadcast-latency.js';
import { rehearsalWidgetPath } from './rehearsal/widget-path.js';

/**
 * Every check, grouped by the guide's sections in the guide's order (so JSON, JUnit and the human
 * report list them alike). Ids are a contract with CI users: never rename one.
 */
export const CHECKS: readonly Check[] = inGuideOrder([
  publicationExists,
  publicationTables,
  publicationScalarColumns,
  logsBindingMismatch,
  policiesRealtimeConversations,
  functionsSecurityDefiner,
  triggersSyncRealtime,
  httpWidgetAuth,
  rehearsalWidgetPath,
  logsBroadcastSuccess,
  httpWidgetMessages,
  logsBroadcastLatency,
  permissionsGrants,
  permissionsRlsEnabled,
  permissionsPolicies,
  publicationReplicaIdentity,
  functionsSearchPath,
  policiesPermissive,
  policiesRealtimeMessages,
  // Client code (doctor --src DIR), in the guide's order.
  clientBroadcastOnly,
  clientChannelNames,
  clientEventNames,
  clientCleanup,
  clientHeartbeat,
  clientParse,
  clientChannelPrivacy,
  clientErrorHandling,
  clientReuse,
  ...REALTIME_CHECKS,
] as Check[]);

export function sectionOrder(id: SectionId): number {
  return Object.keys(SECTIONS).indexOf(id);
}

/** A stable sort by section: within a section, checks keep the order they are listed in. */
function inGuideOrder(checks: Check[]): readonly Check[] {
  return [...checks].sort((a, b) => sectionOrder(a.section) - sectionOrder(b.section));
}
