/**
 * Example Realtime Authorization policies for the guide's channels: private channels whose topic
 * `<prefix><orgId>…` is admitted only to sessions whose JWT carries that organisation id in a claim the
 * user names. A starting point, not a fix: campfire cannot see how the app signs users in, so it writes
 * these for a person to review and never applies them.
 *
 * How Realtime uses them (supabase/realtime: lib/realtime/tenants/authorization.ex): on a private join
 * it sets `role`, `realtime.topic` and `request.jwt.claims` for a transaction, SELECTs a probe row of
 * realtime.messages as the joining role (receive) and INSERTs one (send), then rolls back.
 */
import { UsageError } from '../errors.js';
import { ident, literal } from '../fixes/sqltext.js';

export interface PolicyRequest {
  /** Dotted path of the JWT claim holding the organisation id, e.g. app_metadata.org_id. */
  claim: string;
  /** What every topic of the organisation starts with before its id: the guide's `bcast:org:`. */
  topicPrefix: string;
  /** The role the app's sessions join as (anonymous sign-ins are `authenticated` too). */
  role: string;
}

const CLAIM_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function validatePolicyRequest(r: PolicyRequest): PolicyRequest {
  if (!CLAIM_PATH.test(r.claim)) {
    throw new UsageError(`--claim must be a dotted JWT claim path like app_metadata.org_id (got "${r.claim}").`);
  }
  // eslint-disable-next-line no-control-regex
  if (!r.topicPrefix || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(r.topicPrefix) || Buffer.byteLength(r.topicPrefix) > 200) {
    throw new UsageError('--topic-prefix must be a non-empty topic prefix without control characters, like bcast:org:.');
  }
  if (!r.role.trim()) throw new UsageError('--role must name the role sessions join as (authenticated).');
  return r;
}

/** `(select auth.jwt()) #>> '{app_metadata,org_id}'`: evaluated once per query, not per row. */
function claimSql(claim: string): string {
  return `(select auth.jwt()) #>> ${literal(`{${claim.split('.').join(',')}}`)}`;
}

/** The topic starts with the prefix, and the organisation id after it (up to the next ':') is the claim's. */
function topicOrgSql(prefix: string, claim: string): string {
  const topic = '(select realtime.topic())';
  const n = [...prefix].length;
  return `left(${topic}, ${n}) = ${literal(prefix)}\n      and split_part(substr(${topic}, ${n + 1}), ':', 1) = (${claimSql(claim)})`;
}

export interface PolicySql {
  name: string;
  command: 'select' | 'insert';
  sql: string;
}

export function examplePolicies(req: PolicyRequest): PolicySql[] {
  const r = validatePolicyRequest(req);
  const condition = `${topicOrgSql(r.topicPrefix, r.claim)}\n      and realtime.messages.extension in ('broadcast', 'presence')`;
  const on = `on realtime.messages`;
  const receive = 'campfire: sessions receive their organisation\'s channels';
  const send = 'campfire: sessions send on their organisation\'s channels';
  return [
    { name: receive, command: 'select', sql: `create policy ${ident(receive)}\n  ${on} for select to ${ident(r.role)}\n  using (\n      ${condition}\n  );` },
    { name: send, command: 'insert', sql: `create policy ${ident(send)}\n  ${on} for insert to ${ident(r.role)}\n  with check (\n      ${condition}\n  );` },
  ];
}

/** The migration file: every line that is not SQL is a comment written from fixed text or validated input. */
export function policiesMigration(req: PolicyRequest, version: string): string {
  const policies = examplePolicies(req);
  return [
    `-- campfire ${version} private-channels: EXAMPLE Realtime Authorization policies, a starting point to review.`,
    '-- They admit a private channel whose topic starts with the prefix below followed by an organisation id',
    '-- only to sessions whose JWT claim below holds that id. Before applying:',
    '--   1. make sure every session the app uses (agents, and visitors through anonymous sign-ins) carries',
    '--      the claim, set by your server (app_metadata cannot be changed by the user);',
    '--   2. switch the channels to private in the app: supabase.channel(topic, { config: { private: true } });',
    "--   3. then turn off \"Allow public access\" in the project's Realtime settings.",
    `--   topic prefix: ${JSON.stringify(req.topicPrefix)}; claim: ${req.claim}; role: ${req.role}`,
    '-- Visitors should get narrower access than agents (their own conversation only): adapt the policies.',
    '',
    'begin;',
    ...policies.map((p) => p.sql),
    'commit;',
    '',
  ].join('\n');
}
