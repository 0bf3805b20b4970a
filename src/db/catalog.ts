/** The typed catalog snapshot (the JSON document sql/snapshot.sql returns). Plain data: checks judge it. */

export type Command = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALL';

export interface PublicationInfo {
  name: string;
  allTables: boolean;
  hasSchemas: boolean;
  insert: boolean;
  update: boolean;
  delete: boolean;
  truncate: boolean;
  viaRoot: boolean;
}

export interface ColumnInfo {
  name: string;
  /** Declared type as Postgres prints it (a domain keeps its own name). */
  type: string;
  generated: boolean;
  /** Sent by the publication: in its column list, or every non-generated column when it has none. */
  published: boolean;
  /** After resolving domains. */
  baseSchema: string;
  baseName: string;
  baseType: string;
  /** pg_type.typtype of the base type: b base, c composite, e enum, r range, m multirange, p pseudo. */
  baseKind: string;
  /** pg_type.typcategory of the base type: A for arrays. */
  baseCategory: string;
  isDomain: boolean;
}

export interface PolicyInfo {
  name: string;
  command: Command;
  permissive: boolean;
  roles: string[];
  using: string | null;
  check: string | null;
}

export interface PrivilegeInfo {
  role: string;
  privilege: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  granted: boolean;
}

export interface TriggerInfo {
  name: string;
  /** pg_trigger.tgenabled: O fires normally, D disabled, R only in replica mode, A always. */
  enabled: 'O' | 'D' | 'R' | 'A';
  functionSchema: string;
  functionName: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  kind: string;
  owner: string;
  isGuideTable: boolean;
  published: boolean;
  rowFilter: string | null;
  hasColumnList: boolean;
  /** pg_class.relreplident: d default (primary key), n nothing, f full, i index. */
  replicaIdentity: 'd' | 'n' | 'f' | 'i';
  rlsEnabled: boolean;
  rlsForced: boolean;
  /**
   * pg_class.relacl as text (null: the owner's default privileges). fix-permissions' undo restores it exactly.
   * Absent for published tables that are not the guide's: nothing judges or changes their privileges, and a
   * large publication would send thousands of them.
   */
  acl?: string[] | null;
  primaryKey: string[] | null;
  replicaIdentityIndex: { name: string; columns: string[] } | null;
  columns: ColumnInfo[];
  policies: PolicyInfo[];
  privileges: PrivilegeInfo[];
  triggers: TriggerInfo[];
}

export interface RoleInfo {
  name: string;
  superuser: boolean;
  bypassRls: boolean;
  canLogin: boolean;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  arguments: string;
  returns: string;
  language: string;
  owner: string;
  securityDefiner: boolean;
  config: string[] | null;
}

/** Verdict inputs (sql/snapshot.sql, the keys after "functions"): read by src/policies and the checks built on it. */
export interface RoleMembership {
  role: string;
  /** Roles whose privileges `role` has (pg_has_role USAGE: inheritance honoured), itself excluded. */
  privilegesOf: string[];
}

export interface ColumnPrivilege {
  schema: string;
  table: string;
  role: string;
  privilege: 'SELECT' | 'INSERT' | 'UPDATE';
  /** Columns the role may use for it (a table-level grant counts every column). */
  columns: number;
  total: number;
}

export interface TriggerEvents {
  schema: string;
  table: string;
  name: string;
  rowLevel: boolean;
  timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  events: ('INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE')[];
  /** UPDATE OF col…: fires only when those columns are targets. */
  updateColumns: boolean;
  hasWhen: boolean;
}

export interface FunctionExposure {
  schema: string;
  name: string;
  arguments: string;
  /** pg_proc.prokind: f function, p procedure. */
  kind: 'f' | 'p';
  extension: boolean;
  /** The configured roles that hold EXECUTE (directly, through PUBLIC or a granted role). */
  executableBy: string[];
}

export interface ForeignKeyInfo {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  indexed: boolean;
}

/**
 * What the planner makes of a policy expression (src/db/policy-folding.ts): 'true', 'false' or 'null'
 * when it folds to that constant, 'row' when it depends on the row or the session, null when campfire
 * could not ask (no SELECT on the table, or a subquery it does not plan).
 */
export type FoldedConstant = 'true' | 'false' | 'null' | 'row' | null;

export interface PolicyFolding {
  schema: string;
  table: string;
  policy: string;
  using: FoldedConstant;
  check: FoldedConstant;
  /** The planner's rendering of each expression (after folding), for findings and the per-row call test. */
  usingPlanned: string | null;
  checkPlanned: string | null;
}

/**
 * What one realtime.messages policy expression said to a stranger joining another organisation's
 * channel (src/db/realtime-strangers.ts): anon with no session, or an authenticated session of no
 * organisation. value null: the expression raised `error`.
 */
export interface StrangerEvaluation {
  session: 'anon' | 'stranger';
  role: string;
  topic: string;
  policy: string;
  which: 'using' | 'check';
  value: boolean | null;
  error?: string;
}

/** realtime.messages as Realtime Authorization uses it (sql/realtime-authorization.sql). */
export type RealtimeMessagesInfo = Pick<TableInfo, 'schema' | 'name' | 'kind' | 'owner' | 'rlsEnabled' | 'rlsForced' | 'policies' | 'privileges'>;

export interface CatalogSnapshot {
  serverVersionNum: number;
  serverVersion: string;
  database: string;
  currentUser: string;
  schemaExists: boolean;
  publication: PublicationInfo | null;
  tables: TableInfo[];
  roles: RoleInfo[];
  functions: FunctionInfo[];
  /**
   * What the fixes need to plan without harm (absent from hand-built snapshots: planners then stay cautious).
   * Lists the guide's tables, partitioned tables, and any table with a row filter, a DEFERRABLE primary key or
   * an unusable replica identity index; a table not listed has none of those.
   */
  tableSafety?: TableSafety[];
  publicationSafety?: PublicationSafety | null;
  searchPathSettings?: SearchPathSettings;
  functionOwners?: FunctionOwner[];
  roleMemberships: RoleMembership[];
  columnPrivileges: ColumnPrivilege[];
  triggerEvents: TriggerEvents[];
  functionExposure: FunctionExposure[];
  foreignKeys: ForeignKeyInfo[];
  explainableTables: { schema: string; table: string }[];
  /** Filled after the snapshot query by asking the planner (empty when nothing could be asked). */
  policyFolding: PolicyFolding[];
  /** null: the table does not exist (Realtime Authorization not available); absent: not read. */
  realtimeMessages?: RealtimeMessagesInfo | null;
  /** What the realtime.messages policies said to strangers (empty without policies). */
  realtimeStrangers?: StrangerEvaluation[];
}

export function qualified(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** A replica identity as Postgres uses it: a DEFERRABLE primary key is not one. */
export interface IdentityFacts {
  /** The primary key's columns, only when it is immediate (NOT DEFERRABLE). */
  primaryKey: string[] | null;
  primaryKeyDeferrable: boolean;
  /** REPLICA IDENTITY USING INDEX: the index's columns, when it is valid and immediate. */
  identityIndex: string[] | null;
}

export interface PartitionFacts extends IdentityFacts {
  schema: string;
  name: string;
  replicaIdentity: 'd' | 'n' | 'f' | 'i';
}

/** A role holding privileges on a guide table; privileges read "INSERT" or "INSERT (column)". */
export interface Grantee {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  /** The role is (or inherits) the table's owner: RLS does not apply to it unless forced. */
  ownsTable: boolean;
  privileges: string[];
}

export interface TableSafety {
  schema: string;
  name: string;
  /** The primary key (TableInfo.primaryKey) is DEFERRABLE: Postgres does not use it as replica identity. */
  primaryKeyDeferrable: boolean;
  /** The REPLICA IDENTITY USING INDEX index (TableInfo.replicaIdentityIndex) is valid and immediate. */
  identityIndexUsable: boolean;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  kind: string;
  /** Columns the publication's row filter references. */
  rowFilterColumns: string[] | null;
  /** Leaf partitions of a partitioned table, each with its own replica identity. */
  partitions: PartitionFacts[] | null;
  /** pg_attribute.attacl per column (column-level grants), which a table-level REVOKE also removes. */
  columnAcl: { column: string; acl: string[] }[] | null;
  grantees: Grantee[] | null;
}

export interface PublicationSafety {
  owner: string;
  comment: string | null;
  /** pg_publication.pubgencols (PostgreSQL 18+): 's' publishes stored generated columns; null before 18. */
  generatedColumns?: string | null;
}

/** Stored search_path settings (pg_db_role_setting) and the server's value. */
export interface SearchPathSettings {
  server: string;
  database: string | null;
  roles: { role: string; databaseRole: string | null; allDatabases: string | null }[];
  /** Configured roles that have a schema of their own name ("$user" resolves to it). */
  schemas: string[];
}

export interface FunctionOwner {
  schema: string;
  name: string;
  arguments: string;
  owner: string;
  superuser: boolean;
  bypassRls: boolean;
  /** What the owner may do on each guide table; policies lists the commands of permissive policies that apply to the owner. */
  tables: { schema: string; name: string; ownsTable: boolean; insert: boolean; update: boolean; select: boolean; rlsEnabled: boolean; rlsForced: boolean; policies: Command[] }[] | null;
}
