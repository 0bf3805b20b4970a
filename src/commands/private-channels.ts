/**
 * `campfire private-channels`: the way out of public channels, explained, with example policies for the
 * configured topic pattern. It changes nothing in the database: the policies depend on how the app's
 * sessions carry their organisation, which campfire cannot see, so it plans nothing it cannot verify.
 */
import { migrationPath, writeNew } from '../fixes/files.js';
import type { Io } from '../io.js';
import { examplePolicies, policiesMigration, validatePolicyRequest, type PolicyRequest } from '../private-channels/policies.js';
import { VERSION } from '../version.js';
import { UsageError } from '../errors.js';

export interface PrivateChannelsOptions {
  claim?: string;
  topicPrefix: string;
  role: string;
  writeMigration?: string;
  json?: boolean;
}

export const WHY = [
  "Campfire's realtime channels are public: anyone who has the widget's publishable key — every visitor does — can join any organisation's channel and read its live conversation list and messages.",
  'Private channels close that: the server admits a client to a channel only when a database policy says that client belongs to it.',
];

export const PATH = [
  'Give every client a session: agents sign in; visitors get one through Supabase anonymous sign-ins, with the organisation (and their conversation) set by your server in app_metadata.',
  "Make the channels private in the app: supabase.channel(topic, { config: { private: true } }), joined after the session exists (supabase-js sends the session's token on join).",
  'Add policies on realtime.messages that admit a topic only to sessions of that organisation: SELECT to receive, INSERT to send (below).',
  "Check with `npx campfire probe-broadcast --private --access-token JWT --org ORG --conv CONV`: the app's session joins, an outsider with only the anon key and a session of another organisation are refused.",
  'Turn off "Allow public access" in the project\'s Realtime settings, so no client can fall back to a public channel.',
];

export async function privateChannels(opts: PrivateChannelsOptions, io: Io): Promise<number> {
  if (!opts.claim) {
    throw new UsageError('--claim is required: the JWT claim that holds a session\'s organisation id, e.g. --claim app_metadata.org_id.');
  }
  const req: PolicyRequest = validatePolicyRequest({ claim: opts.claim, topicPrefix: opts.topicPrefix, role: opts.role });
  const policies = examplePolicies(req);
  let file: string | undefined;
  if (opts.writeMigration) {
    file = migrationPath(opts.writeMigration, 'private-channels');
    try {
      await writeNew(file, policiesMigration(req, VERSION));
    } catch (err) {
      throw new UsageError(`could not write the migration ${file}: ${(err as Error).message}`);
    }
  }
  if (opts.json) {
    io.out(`${JSON.stringify({ why: WHY, path: PATH, request: req, policies, ...(file ? { migration: file } : {}) }, null, 2)}\n`);
    return 0;
  }
  const c = io.chalk;
  const lines = [
    c.bold('Who can listen'),
    ...WHY.map((l) => `  ${l}`),
    '',
    c.bold('The way out'),
    ...PATH.map((l, i) => `  ${i + 1}. ${l}`),
    '',
    c.bold(`Example policies (a starting point to review; claim ${req.claim}, topics ${req.topicPrefix}<org id>…)`),
    ...policies.map((p) => p.sql),
    '',
    file ? `Written to ${file} — review it before it reaches a database.` : 'Nothing was changed. Add --write-migration supabase/migrations to write these as a migration to review.',
    '',
  ];
  io.out(lines.join('\n'));
  return 0;
}
