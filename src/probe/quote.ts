/**
 * Identifier quoting as pg's escapeIdentifier does it (double the quotes, wrap in quotes), kept here so
 * the probe does not load pg: apply.ts imports the probe, db/gather.ts imports apply.ts, and a doctor run
 * without a database must not load pg at all (test/e2e/startup-modules.test.ts).
 */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const qualifiedName = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;
