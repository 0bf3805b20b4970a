import type { CatalogSnapshot, TableInfo } from '../db/catalog.js';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * How a role holds a privilege on a table. Postgres lets a statement through when the role holds the
 * privilege on the table or on every column the statement names, so a column grant on every column
 * works today (has_table_privilege says no), but a column added later is not covered.
 */
export type PrivilegeAccess =
  | { kind: 'table' }
  | { kind: 'columns'; columns: number; total: number }
  | { kind: 'none' };

export function privilegeAccess(snap: Pick<CatalogSnapshot, 'columnPrivileges'>, table: TableInfo, role: string, privilege: TablePrivilege): PrivilegeAccess {
  if (table.privileges.some((p) => p.role === role && p.privilege === privilege && p.granted)) return { kind: 'table' };
  const cp = snap.columnPrivileges.find(
    (c) => c.schema === table.schema && c.table === table.name && c.role === role && c.privilege === privilege,
  );
  // DELETE has no column form.
  if (!cp || cp.columns === 0) return { kind: 'none' };
  return { kind: 'columns', columns: cp.columns, total: cp.total };
}

/** Whether the role can run the command on whole rows: a table grant, or a column grant on every column. */
export function canUse(access: PrivilegeAccess): boolean {
  return access.kind === 'table' || (access.kind === 'columns' && access.columns === access.total);
}

/** "INSERT only through column grants on 5 of 5 columns: a column added later is not covered". */
export function describeColumnAccess(privilege: TablePrivilege, access: Extract<PrivilegeAccess, { kind: 'columns' }>): string {
  return access.columns === access.total
    ? `${privilege} only through column grants on ${access.columns} of ${access.total} columns: a column added later is not covered`
    : `${privilege} only on ${access.columns} of ${access.total} columns (column grants): statements naming the others fail`;
}
