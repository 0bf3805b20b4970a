import { randomBytes, randomUUID } from 'node:crypto';
import { signJwt } from '../../fixtures/realtime-server/jwt.ts';
import { startRealtimeServer, type RealtimeServer } from '../../fixtures/realtime-server/server.ts';
import { KEY } from './realtime.js';

export const JWT_SECRET = randomBytes(24).toString('hex');

/** A signed-in session of one organisation, as the app's auth would issue it (role authenticated). */
export function sessionToken(orgId: string): string {
  return signJwt({ role: 'authenticated', sub: randomUUID(), app_metadata: { org_id: orgId }, exp: Math.floor(Date.now() / 1000) + 3600 }, JWT_SECRET);
}

export function startAuthorizingServer(databaseUrl: string, privateOnly = false): Promise<RealtimeServer> {
  return startRealtimeServer({ apiKey: KEY, authorization: { databaseUrl, jwtSecret: JWT_SECRET, privateOnly } });
}
