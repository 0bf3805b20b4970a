/**
 * The undo script exists before COMMIT (an applied change must never lack one), but until COMMIT succeeds
 * it undoes a change that may never have happened. So it is first written as FILE.pending, marked in its
 * name and in its text, with a guard that makes it refuse to run; only after COMMIT is the real FILE
 * written and the pending one removed. A kill in between leaves only the marked, inert FILE.pending.
 */
export const PENDING_SUFFIX = '.pending';

export function pendingPath(undoFile: string): string {
  return `${undoFile}${PENDING_SUFFIX}`;
}

/** The message the guard raises: why the file refuses to run, and what to do instead. */
export const PENDING_REFUSAL =
  'campfire wrote this undo script before COMMIT and stopped before it knew the COMMIT succeeded. Check the database first (campfire doctor, or the fix dry run): if the change is there, rename this file without .pending and run it; if not, delete it';

/**
 * Marks the script: a comment block at the top, and right after its BEGIN a statement that raises, so the
 * whole transaction aborts (psql then turns the script's COMMIT into a ROLLBACK, with or without ON_ERROR_STOP).
 */
export function markPending(script: string): string {
  const header = [
    '-- ======================================================================',
    '-- PENDING: NOT COMMITTED. This file was written just before COMMIT.',
    '-- It was never moved into place, so campfire does not know whether the',
    '-- change it undoes happened. It refuses to run as it stands.',
    '-- ======================================================================',
  ].join('\n');
  const guard = `DO $campfire_pending$ BEGIN RAISE EXCEPTION '${PENDING_REFUSAL.replace(/'/g, "''")}'; END $campfire_pending$;`;
  const lines = script.split('\n');
  const begin = lines.findIndex((l) => /^BEGIN;\s*$/i.test(l));
  if (begin >= 0) lines.splice(begin + 1, 0, guard);
  else lines.unshift('BEGIN;', guard);
  return `${header}\n${lines.join('\n')}`;
}
