import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherClient } from '../../src/client/gather.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { tree } from './tree.js';

const CLIENT_CHECKS = CHECKS.filter((c) => c.input === 'client');
const gather = (root: string) => gatherClient(root, root);
const judge = (root: string, config = DEFAULT_CONFIG) =>
  Object.fromEntries(runChecks(CLIENT_CHECKS, { client: gather(root) }, config).map((r) => [r.id, r]));
const fixture = (file: string) => readFileSync(path.join('fixtures/client/src', file), 'utf8');

describe('gatherClient', () => {
  it("the fixture's correct examples alone pass every client check", () => {
    const root = tree({
      'events.ts': fixture('events.ts').replace(/ {2}MESSAGE_DELETED.*\n {2}CONVERSATION_ASSIGNED.*\n/, ''),
      'realtime/conversation-channel.ts': fixture('realtime/conversation-channel.ts'),
      'components/ChatWindow.tsx': fixture('components/ChatWindow.tsx'),
      'legacy/inbox.js': fixture('legacy/inbox.js'),
    });
    const results = judge(root);
    expect(Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.status]))).toEqual(
      Object.fromEntries(CLIENT_CHECKS.map((c) => [c.id, 'pass'])),
    );
  });

  it('applies .gitignore files as git does: nested, negated, and those above the tree up to the repository root', () => {
    const bad = "export const x = client.channel('nope');\n";
    const root = tree({
      '.gitignore': 'app/vendor/\n',
      'app/.gitignore': '*.gen.ts\nbuild\n!build/keep.ts\n',
      'app/a.ts': bad,
      'app/b.gen.ts': bad,
      'app/vendor/v.ts': bad,
      'app/lib/.gitignore': 'secret/\n!keep.gen.ts\n',
      'app/lib/keep.gen.ts': bad,
      'app/lib/secret/s.ts': bad,
      'app/lib/ok.tsx': bad,
      'app/node_modules/m/index.js': bad,
      'app/types.d.ts': 'declare const x: number;\n',
      'app/readme.md': 'client.channel("x")',
    });
    mkdirSync(path.join(root, '.git'));
    const stats = gatherClient(path.join(root, 'app'), root);
    // `build` is ignored as a folder, so git (and campfire) never look inside it for the negation.
    expect(stats.channels.map((c) => c.at.file).sort()).toEqual(['app/a.ts', 'app/lib/keep.gen.ts', 'app/lib/ok.tsx']);
    expect(stats.files).toBe(3);
  });

  it('ties listeners to channels lexically: a subscribe() in another function is not "before" this listener', () => {
    const root = tree({
      'l.ts': [
        'function a() { const channel = sb.channel(A); channel.subscribe(); return channel; }',
        "function b() { const channel = sb.channel(B); channel.on('postgres_changes', { event: '*' }, f); channel.subscribe(); }",
        'function c(ch) { ch.subscribe(); }',
        "function d(ch) { ch.on('postgres_changes', { event: '*' }, f); }",
        "function e() { const channel = sb.channel(E); channel.subscribe(); setTimeout(() => channel.on('postgres_changes', {}, f)); }",
      ].join('\n'),
    });
    const stats = gather(root);
    expect(stats.listeners.map((l) => [l.at.line, l.channel, l.afterSubscribe])).toEqual([
      [2, 1, false],
      [4, null, false],
      [5, 2, true],
    ]);
  });

  it('reports columns in UTF-16 code units, as editors and SARIF (columnKind utf16CodeUnits) count them', () => {
    const root = tree({ 'a.ts': "const s = '🔥é'; const c = client.channel('bcast:org:1');\n" });
    expect(gather(root).channels[0]?.at).toMatchObject({ file: 'a.ts', line: 1, column: 35 });
  });

  it('resolves constant names, and treats templates by their fixed parts', () => {
    const root = tree({
      'a.ts': [
        'const NAME = `bcast:org:${orgId}:conversations`;',
        "client.channel(NAME, { config: { postgres_changes: [] } });",
        "client.channel('bcast:org:42:conv:7', { config: { postgres_changes: [] } });",
        'client.channel(`bcast:${channelName}`, { config: { postgres_changes: [] } });',
        'client.channel(`bcast:org:${o}:conv:${c}:extra`, { config: { postgres_changes: [] } });',
        "client.channel('bcast:org:42:conv:', { config: { postgres_changes: [] } });",
      ].join('\n'),
    });
    const r = judge(root)['client.channel-names'];
    expect(r?.findings.map((f) => f.object)).toEqual(['a.ts:5:8', 'a.ts:6:8', 'a.ts:4:8']);
    expect(r?.findings[2]?.detail).toMatch(/unknown, depends on the values interpolated/);
  });

  it('reads UNIFIED_EVENTS as an exported array or frozen object, and ignores one that is not exported', () => {
    const listen = "ch.on('broadcast', { event: 'a' }, f); ch.send({ type: 'broadcast', event: 'a' });\n";
    const arr = gather(tree({ 'e.ts': "export const UNIFIED_EVENTS = ['a', 'b'] as const;\n", 'l.ts': listen }));
    expect(arr.unifiedEvents?.entries).toEqual({ 0: 'a', 1: 'b' });
    const frozen = gather(tree({ 'e.js': "const UNIFIED_EVENTS = Object.freeze({ A: 'a', G: { B: 'b' } });\nexport { UNIFIED_EVENTS };\n" }));
    expect(frozen.unifiedEvents?.entries).toEqual({ A: 'a', 'G.B': 'b' });
    expect(gather(tree({ 'e.ts': "const UNIFIED_EVENTS = { A: 'a' };\n" })).unifiedEvents).toBeNull();
  });

  it('resolves UNIFIED_EVENTS references through import aliases and namespace imports', () => {
    const root = tree({
      'events.ts': "export const UNIFIED_EVENTS = { A: 'a', B: 'b' };\n",
      'l.ts': "import { UNIFIED_EVENTS as EV } from './events';\nch.on('broadcast', { event: EV.A }, f);\nch.on('broadcast', { event: EV.C }, f);\n",
      's.ts': "import * as events from './events';\nch.send({ type: 'broadcast', event: events.UNIFIED_EVENTS.A });\n",
    });
    const r = judge(root)['client.event-names'];
    expect(r?.findings.map((f) => `${f.object} ${f.detail.split(' — ')[0]}`)).toEqual([
      'l.ts:3:4 listener for UNIFIED_EVENTS.C: UNIFIED_EVENTS has no key C: the event is undefined at run time',
    ]);
  });

  it('falls back to config "events" without UNIFIED_EVENTS, and warns when there is no list at all', () => {
    const root = tree({ 'l.ts': "ch.on('broadcast', { event: 'a' }, f); ch.send({ type: 'broadcast', event: 'b' });\n" });
    const withList = judge(root, parseConfig({ events: ['a'] }))['client.event-names'];
    expect(withList?.status).toBe('fail');
    expect(withList?.findings.map((f) => f.detail.split(' — ')[0])).toEqual([
      'send of \'b\': not in config "events"',
      "listener for 'a': no send of this event in the source (is it sent by code outside --src?)",
    ]);
    const noList = judge(root)['client.event-names'];
    expect(noList?.status).toBe('warn');
    expect(noList?.summary).toMatch(/no event list/);
  });

  it('config "events" is validated: one clear usage error', () => {
    expect(() => parseConfig({ events: 'message:created' })).toThrow(UsageError);
    expect(() => parseConfig({ events: ['a', 'a'] })).toThrow(/"events" \[1\] repeats "a"/);
    expect(parseConfig({ events: ['a', 'b'] }).events).toEqual(['a', 'b']);
  });

  it('understands the usual cleanup forms and flags the rest', () => {
    const root = tree({
      'c.tsx': [
        'useEffect(() => { const ch = sb.channel(N); function cleanup() { sb.removeChannel(ch); } return cleanup; }, []);',
        'useEffect(() => { ref.current = sb.channel(N); return () => { ref.current?.unsubscribe(); }; }, []);',
        'useEffect(() => { sb.channel(N).subscribe(); return () => sb.removeAllChannels(); }, []);',
        'useEffect(() => { sb.channel(N).subscribe(); return () => {}; }, []);',
        'useEffect(() => { const ch = sb.channel(N); return () => { other.unsubscribe(); }; }, []);',
        'useEffect(() => { const ch = sb.channel(N); if (x) { return () => ch.unsubscribe(); } }, []);',
      ].join('\n'),
    });
    const r = judge(root)['client.cleanup'];
    expect(r?.findings.map((f) => f.object)).toEqual(['c.tsx:4:22', 'c.tsx:5:33']);
    expect(r?.findings[0]?.detail).toMatch(/not kept in a variable/);
  });

  it('judges heartbeat numbers and back-off functions', () => {
    const root = tree({
      'h.ts': [
        'createClient(u, k, { realtime: { heartbeatIntervalMs: 25 * 1000, reconnectAfterMs: () => 5000 } });',
        'createClient(u, k, { realtime: { heartbeatIntervalMs: interval, reconnectAfterMs: (n) => backoff(n) } });',
        'new RealtimeClient(u, { heartbeatIntervalMs: 60_000, reconnectAfterMs: (n) => n ** 2 * 1000 });',
      ].join('\n'),
    });
    const r = judge(root)['client.heartbeat'];
    expect(r?.status).toBe('fail');
    expect(r?.findings.map((f) => `${f.object} ${f.detail.split(' ')[0]} ${f.detail.includes('cannot tell') ? 'unknown' : 'wrong'}`)).toEqual([
      'h.ts:3:25 heartbeatIntervalMs wrong',
      'h.ts:3:54 reconnectAfterMs wrong',
      'h.ts:2:34 heartbeatIntervalMs unknown',
      'h.ts:2:65 reconnectAfterMs unknown',
    ]);
  });

  it('broadcast-only: listed postgres_changes fail, options it cannot read warn', () => {
    const root = tree({
      'b.js': [
        "sb.channel('bcast:org:1', { config: { postgres_changes: [{ event: '*', schema: 'public' }] } });",
        "sb.channel('bcast:org:2', options);",
        "sb.channel('bcast:org:3', { config: { postgres_changes: [] } }).subscribe().on('postgres_changes', {}, f);",
      ].join('\n'),
    });
    const r = judge(root)['client.broadcast-only'];
    expect(r?.findings.map((f) => f.object)).toEqual(['b.js:1:4', 'b.js:3:77', 'b.js:2:4']);
    expect(r?.findings[1]?.detail).toMatch(/after subscribe/);
    const onlyUnknown = judge(tree({ 'b.js': "sb.channel('bcast:org:2', options);\n" }))['client.broadcast-only'];
    expect(onlyUnknown?.status).toBe('warn');
  });

  it('reads JSX in .js files, as React apps write it', () => {
    const root = tree({ 'App.js': "export const App = () => <div onClick={() => sb.channel('bcast:org:1')} />;\n" });
    const stats = gather(root);
    expect(stats.unparsed).toEqual([]);
    expect(stats.channels).toHaveLength(1);
  });

  it('a file that does not parse is a finding, never a crash, in any language', () => {
    const root = tree({ 'a.jsx': 'const x = <div>;\n', 'b.ts': 'let = ;\n', 'c.js': '\u0000\u0001 binary junk {{{\n', 'ok.ts': 'export {};\n' });
    const stats = gather(root);
    expect(stats.files).toBe(4);
    expect(stats.unparsed.map((u) => u.at.file)).toEqual(['a.jsx', 'b.ts', 'c.js']);
    expect(judge(root)['client.parse']?.status).toBe('fail');
  });

  it('generated code with very deep expressions is analysed without overflowing the stack', () => {
    const deep = `const channel = sb.channel('nope'); const v = ${Array(30000).fill('1').join('+')};\n`;
    const stats = gather(tree({ 'deep.ts': deep }));
    expect(stats.unparsed).toEqual([]);
    expect(stats.channels.map((c) => c.name)).toEqual([{ kind: 'literal', text: 'nope' }]);
  });

  it('a --src that is not a folder is a usage error', () => {
    expect(() => gatherClient('fixtures/client/src/events.ts')).toThrow(/not a directory/);
    expect(() => gatherClient('no/such/dir')).toThrow(UsageError);
  });
});
