import { randomBytes, randomUUID } from 'node:crypto';
import { signJwt } from '../../fixtures/realtime-server/jwt.ts';
import { startRealtimeServer, type RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { KEY } from './realtime.js';

/**
 * What Realtime Authorization needs in a Supabase database: realtime.messages with RLS on and the API
 * roles' grants, realtime.topic(), auth.uid() and auth.jwt() as Supabase defines them. Idempotent, so it also runs
 * on a database whose baseline already has them.
 */
export const REALTIME_AUTHORIZATION_SQL = `
create schema if not exists realtime;
create schema if not exists auth;
create table if not exists realtime.messages (
  topic text not null, extension text not null, payload jsonb, event text, private boolean default false,
  updated_at timestamp not null default now(), inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(), primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant usage on schema realtime, auth to anon, authenticated;
grant select, insert, update on realtime.messages to anon, authenticated;
create or replace function realtime.topic() returns text language sql stable
  as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;
create or replace function auth.uid() returns uuid language sql stable
  as $$ select nullif(coalesce(current_setting('request.jwt.claim.sub', true), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')), '')::uuid $$;
create or replace function auth.jwt() returns jsonb language sql stable
  as $$ select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
`;

export const JWT_SECRET = randomBytes(24).toString('hex');

/** A signed-in session of one organisation, as the app's auth would issue it (role authenticated). */
export function sessionToken(orgId: string): string {
  return signJwt({ role: 'authenticated', sub: randomUUID(), app_metadata: { org_id: orgId }, exp: Math.floor(Date.now() / 1000) + 3600 }, JWT_SECRET);
}

export function startAuthorizingServer(databaseUrl: string, privateOnly = false): Promise<RealtimeServer> {
  return startRealtimeServer({ apiKey: KEY, authorization: { databaseUrl, jwtSecret: JWT_SECRET, privateOnly } });
}
