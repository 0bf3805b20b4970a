import type { Check } from '../types.js';
import { realtimeBindings } from './bindings.js';
import { realtimeBroadcast } from './broadcast.js';
import { realtimeChannelExposure } from './exposure.js';
import { realtimeHeartbeat } from './heartbeat.js';
import { realtimeJoin } from './join.js';
import { realtimeLatency } from './latency.js';

/** The broadcast probe's checks, in the guide's order (bindings first: its section comes first). */
export const REALTIME_CHECKS: readonly Check[] = [realtimeBindings, realtimeBroadcast, realtimeJoin, realtimeHeartbeat, realtimeLatency, realtimeChannelExposure] as Check[];
