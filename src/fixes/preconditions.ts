import { guideTables, type GuideTable } from '../checks/database/tables.js';
import type { CampfireConfig } from '../config.js';
import type { CatalogSnapshot } from '../db/catalog.js';
import { UsageError } from '../errors.js';

/**
 * The configured schema and every guide table must exist as tables before a fix plans anything: planning
 * around a typo in campfire.config.json would only print "nothing to do" (exit 0) and leave doctor failing.
 * One line naming what is missing (a view or foreign table is named as what it is), exit 2, nothing changed.
 */
export function assertGuideTablesExist(snap: CatalogSnapshot, config: CampfireConfig): GuideTable[] {
  if (!snap.schemaExists) {
    throw new UsageError(`schema ${config.schema} does not exist in database ${snap.database}: check "schema" in campfire.config.json. Nothing was changed.`);
  }
  const guide = guideTables(snap, config);
  const missing = guide.filter((g) => !g.table && !g.notATable).map((g) => g.object);
  const wrong = guide.filter((g) => g.notATable).map((g) => `${g.object} is ${g.notATable}, not a table`);
  if (missing.length || wrong.length) {
    const parts = [...(missing.length ? [`${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`] : []), ...wrong];
    throw new UsageError(`${parts.join('; ')}: campfire repairs the guide's tables only; check "schema" and "tables" in campfire.config.json. Nothing was changed.`);
  }
  return guide;
}
