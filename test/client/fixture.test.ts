import { describe, expect, it } from 'vitest';
import { gatherClient } from '../../src/client/gather.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG } from '../../src/config.js';

const CLIENT_CHECKS = CHECKS.filter((c) => c.input === 'client');
const stats = gatherClient('fixtures/client');
const results = Object.fromEntries(runChecks(CLIENT_CHECKS, { client: stats }, DEFAULT_CONFIG).map((r) => [r.id, r]));
const at = (file: string, line: number, col: number) => `fixtures/client/src/${file}:${line}:${col}`;
const objects = (id: string) => results[id]?.findings.map((f) => f.object);

describe('client checks on the fixture app', () => {
  it('reads every source file once, skipping node_modules and the .gitignored folder', () => {
    expect(stats.files).toBe(9);
    const files = new Set([...stats.channels, ...stats.listeners].map((x) => x.at.file));
    expect([...files].some((f) => f.includes('node_modules') || f.includes('generated'))).toBe(false);
    expect(stats.unifiedEvents?.entries).toEqual({
      MESSAGE_CREATED: 'message:created',
      CONVERSATION_UPDATED: 'conversation:updated',
      TYPING: 'typing',
      MESSAGE_DELETED: 'message:deleted',
      CONVERSATION_ASSIGNED: 'conversation:assigned',
    });
  });

  it('client.broadcast-only: missing options, missing postgres_changes: [], a binding after subscribe(), duplicates', () => {
    expect(results['client.broadcast-only']?.status).toBe('fail');
    expect(objects('client.broadcast-only')).toEqual([
      at('realtime/wrong-channels.ts', 5, 20),
      at('realtime/wrong-channels.ts', 9, 20),
      at('realtime/wrong-channels.ts', 15, 5),
      at('realtime/wrong-channels.ts', 20, 6),
      at('realtime/wrong-channels.ts', 21, 6),
    ]);
    const findings = results['client.broadcast-only']?.findings ?? [];
    expect(findings[2]?.detail).toMatch(/after subscribe\(\)/);
    expect(findings[4]?.detail).toMatch(/duplicates an identical binding/);
    // The advice names the real triggers (docs/realtime-facts.md §1), not publication column types.
    expect(results['client.broadcast-only']?.advice).toMatch(/after subscribe\(\).*duplicate identical bindings.*null where the client sent undefined/s);
  });

  it('client.channel-names: a missing bcast: prefix and a wrong pattern fail; a run-time name is unknown', () => {
    expect(results['client.channel-names']?.status).toBe('fail');
    const findings = results['client.channel-names']?.findings ?? [];
    expect(findings.map((f) => f.object)).toEqual([
      at('realtime/wrong-channels.ts', 5, 20),
      at('realtime/wrong-channels.ts', 9, 20),
      at('realtime/wrong-channels.ts', 25, 20),
    ]);
    expect(findings.map((f) => f.detail.split(' — ')[0])).toEqual([
      'channel `org:${…}:conv:${…}` missing the bcast: prefix',
      'channel `bcast:org:${…}:chat` does not follow org:{orgId}:conv:{convId}, org:{orgId} or org:{orgId}:conversations',
      'channel name: unknown, name is computed at run time',
    ]);
  });

  it('client.event-names: names outside UNIFIED_EVENTS fail; a listener nobody sends and a send nobody hears warn', () => {
    expect(results['client.event-names']?.status).toBe('fail');
    const findings = results['client.event-names']?.findings ?? [];
    expect(findings.map((f) => `${f.object} ${f.detail.split(':')[0]}`)).toEqual([
      `${at('legacy/socket.jsx', 10, 13)} listener for UNIFIED_EVENTS.MESSAGE_EDITED`,
      `${at('legacy/widget.js', 19, 11)} listener for 'message_created'`,
      `${at('legacy/widget.js', 21, 11)} send of 'conversation`,
      `${at('legacy/socket.jsx', 9, 13)} listener for 'message`,
      `${at('legacy/socket.jsx', 11, 13)} send of 'conversation`,
    ]);
    expect(findings[3]?.detail).toMatch(/no send of this event/);
    expect(findings[4]?.detail).toMatch(/no listener for this event/);
  });

  it('client.cleanup: an effect without cleanup, and a cleanup that misses one of its channels', () => {
    expect(results['client.cleanup']?.status).toBe('fail');
    expect(objects('client.cleanup')).toEqual([at('components/LeakyChat.tsx', 8, 28), at('components/LeakyChat.tsx', 17, 25)]);
    expect(results['client.cleanup']?.summary).toMatch(/^2 of 7 channels/);
  });

  it('client.heartbeat: 30 s heartbeat and an unclamped back-off fail; channel-level settings warn', () => {
    expect(results['client.heartbeat']?.status).toBe('fail');
    expect(objects('client.heartbeat')).toEqual([
      at('legacy/widget.js', 6, 5),
      at('legacy/widget.js', 7, 5),
      at('legacy/widget.js', 15, 7),
      at('legacy/widget.js', 16, 7),
    ]);
  });

  it('client.parse: the file with a syntax error is a finding, and every other check says it was not seen', () => {
    expect(results['client.parse']?.status).toBe('fail');
    expect(objects('client.parse')).toEqual([at('broken.ts', 2, 38)]);
    expect(results['client.cleanup']?.summary).toMatch(/1 file could not be parsed/);
  });

  it('every finding carries its location and the source line', () => {
    for (const r of Object.values(results)) {
      for (const f of r.findings) {
        expect(f.location).toBeDefined();
        expect(f.object).toBe(`${f.location?.file}:${f.location?.line}:${f.location?.column}`);
        expect(f.detail).toContain(f.location?.excerpt);
      }
    }
    expect(results['client.heartbeat']?.findings[0]?.location?.excerpt).toBe('heartbeatIntervalMs: 30000,');
  });
});
