/**
 * Real-world client patterns (fixtures/client-patterns/, each folder a few lines written for campfire that
 * reproduce a pattern met in public apps). Each folder is copied to a temp dir so that nothing above it
 * (campfire's own package.json) is read as the app's.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherClient } from '../../src/client/gather.js';
import { SDK_CONSTANTS } from '../../src/client/constants.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG, parseConfig, type CampfireConfig } from '../../src/config.js';
import { tree } from './tree.js';

const CLIENT_CHECKS = CHECKS.filter((c) => c.input === 'client');

function copy(name: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `campfire-pattern-${name}-`));
  cpSync(path.join('fixtures/client-patterns', name), root, { recursive: true });
  return root;
}
function judge(root: string, config: CampfireConfig = DEFAULT_CONFIG) {
  const stats = gatherClient(root, root);
  return { stats, results: Object.fromEntries(runChecks(CLIENT_CHECKS, { client: stats }, config).map((r) => [r.id, r])) };
}
const where = (r: { findings: { object: string }[] } | undefined) => r?.findings.map((f) => f.object) ?? [];

describe('realtime-js constants and the app\'s own constants', () => {
  it('reads listen types and events through renamed imports, namespace imports, const objects and enums', () => {
    const { stats, results } = judge(copy('constants'));
    expect(stats.listeners.map((l) => [l.at.line, l.type, l.event?.kind === 'literal' ? l.event.text : l.event?.kind])).toEqual([
      [11, 'postgres_changes', 'INSERT'],
      [12, 'postgres_changes', '*'],
      [13, 'broadcast', 'typing'],
      [28, 'unknown', 'x'],
    ]);
    expect(stats.sends.map((s) => s.event)).toEqual([{ kind: 'literal', text: 'typing' }]);
    expect(where(results['client.broadcast-only'])).toEqual(['listen.ts:11:11', 'listen.ts:12:11', 'listen.ts:28:11']);
    expect(results['client.broadcast-only']?.findings[2]?.severity).toBe('warn');
    // The status constant counts as handling CHANNEL_ERROR; the send's listener is found.
    expect(results['client.error-handling']?.status).toBe('pass');
    expect(results['client.event-names']?.findings.filter((f) => /no listener|no send/.test(f.detail))).toEqual([]);
  });

  it('every member of every realtime-js constant, under any import name, resolves to its string (generated)', () => {
    const files: Record<string, string> = {};
    const expected: string[] = [];
    let i = 0;
    for (const [object, members] of Object.entries(SDK_CONSTANTS)) {
      for (const [member, value] of Object.entries(members)) {
        const alias = `${object.slice(0, 3)}_${i}`;
        const module = i % 2 ? '@supabase/realtime-js' : '@supabase/supabase-js';
        files[`f${i}.ts`] = `import { ${object} as ${alias} } from '${module}';\n` +
          `sb.channel('bcast:org:o', { config: { postgres_changes: [] } }).on('broadcast', { event: ${alias}.${member} }, f);\n`;
        expected.push(value);
        i++;
      }
    }
    const stats = gatherClient(tree(files), os.tmpdir());
    const byFile = new Map(stats.listeners.map((l) => [l.at.file.replace(/.*\//, ''), l.event]));
    expect(Object.keys(files).map((f) => byFile.get(f))).toEqual(expected.map((text) => ({ kind: 'literal', text })));
  });

  it('an import of the same name from another module, or a shadowing parameter, stays unknown', () => {
    const root = tree({
      'a.ts': [
        "import { REALTIME_LISTEN_TYPES } from './my-constants';",
        "sb.channel('bcast:org:o').on(REALTIME_LISTEN_TYPES.POSTGRES_CHANGES, { event: '*' }, f);",
        "import { REALTIME_LISTEN_TYPES as LT } from '@supabase/supabase-js';",
        "function g(LT) { sb.channel('bcast:org:o').on(LT.POSTGRES_CHANGES, { event: '*' }, f); }",
      ].join('\n'),
    });
    expect(gatherClient(root, root).listeners.map((l) => l.type)).toEqual(['unknown', 'unknown']);
  });
});

describe('channels that travel', () => {
  it('follows refs, state, Maps and same-file helpers to their removal; reports the ones never removed', () => {
    const { stats, results } = judge(copy('travel'));
    expect(where(results['client.cleanup'])).toEqual(['RefChat.tsx:47:24', 'helpers.tsx:17:22']);
    expect(results['client.cleanup']?.findings[0]?.detail).toMatch(/stored in ref\.current, and no removal through it/);
    expect(results['client.cleanup']?.findings[1]?.detail).toMatch(/created by leakRoom\(\), which the effect at line 41 calls/);
    expect(stats.channels.filter((c) => c.effect !== null).map((c) => c.removal)).toEqual(['cleanup', 'elsewhere', 'cleanup', 'none', 'cleanup', 'cleanup', 'none']);
  });

  it('ties a class field channel to listeners registered in another method', () => {
    const { stats } = judge(copy('travel'));
    const listener = stats.listeners.find((l) => l.at.file === 'manager.ts');
    const channel = stats.channels.find((c) => c.at.file === 'manager.ts');
    expect(listener?.channel).toBe(channel?.id);
    expect(channel?.subscribe?.observes).toBe('yes');
  });
});

describe('lexical scope', () => {
  it('a parameter is not the const of the same name elsewhere; a let is unknown; module constants fold into templates', () => {
    const { stats, results } = judge(copy('scope'));
    expect(stats.channels.map((c) => c.name)).toEqual([
      { kind: 'dynamic', source: 'topic' },
      { kind: 'template', quasis: ['bcast:org:', ':conversations'] },
      { kind: 'dynamic', source: 'current' },
    ]);
    expect(results['client.channel-names']?.status).toBe('warn');
  });
});

describe('framework components', () => {
  it('reads .vue, .svelte and .astro script blocks with the component\'s own lines, and names the .mdx it did not read', () => {
    const { stats, results } = judge(copy('components'));
    expect(stats.channels.map((c) => `${c.at.file}:${c.at.line}:${c.at.column}`)).toEqual([
      'Chat.vue:13:16', 'Leak.vue:10:22', 'Live.astro:11:22', 'Room.svelte:13:8',
    ]);
    expect(where(results['client.broadcast-only']).filter((w) => w.startsWith('Room') || w.startsWith('Live')).sort()).toEqual(['Live.astro:12:11', 'Room.svelte:13:8', 'Room.svelte:14:8']);
    // Vue: removed in onUnmounted through the module variable; never removed → finding. Svelte: onMount's returned cleanup.
    expect(where(results['client.cleanup'])).toEqual(['Leak.vue:10:22']);
    expect(results['client.parse']).toMatchObject({ status: 'warn', findings: [{ object: 'Notes.mdx:1:1' }] });
  });
});

describe('version-aware advice', () => {
  it('duplicate bindings: dead code from realtime-js 2.112.2 (package-lock), a mismatch trigger before it (pnpm-lock)', () => {
    const fresh = judge(copy('version-new')).results['client.broadcast-only'];
    const old = judge(copy('version-old')).results['client.broadcast-only'];
    expect(fresh?.summary).toMatch(/verdicts assume realtime-js 2\.112\.2 \(from package\.json, package-lock\.json\)/);
    expect(fresh?.findings[1]?.detail).toMatch(/ignores it .* not a mismatch/);
    expect(old?.summary).toMatch(/verdicts assume realtime-js 2\.11\.15 \(from package\.json, pnpm-lock\.yaml\)/);
    expect(old?.findings[1]?.detail).toMatch(/known trigger of the binding mismatch before realtime-js 2\.112\.2/);
  });

  it('without a lockfile it says which version it assumes', () => {
    const root = copy('version-old');
    writeFileSync(path.join(root, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
    const r = judge(root).results['client.broadcast-only'];
    expect(r?.summary).toMatch(/realtime-js version unknown \(package\.json declares @supabase\/supabase-js 2\.50\.0 but no lockfile resolves it\): verdicts assume a version before 2\.112\.2/);
  });
});

describe('configurable channel naming', () => {
  it('judges names with the configured prefix and patterns', () => {
    const root = copy('naming');
    const config = parseConfig(JSON.parse(readFileSync(path.join(root, 'campfire.config.json'), 'utf8')));
    const r = judge(root, config).results['client.channel-names'];
    expect(where(r)).toEqual(['channels.ts:5:45']);
    expect(r?.findings[0]?.detail).toMatch(/missing the rt: prefix/);
    // With the guide's names the two rt: channels are the wrong ones.
    expect(where(judge(root).results['client.channel-names'])).toEqual(['channels.ts:3:44', 'channels.ts:4:58']);
  });

  it('rejects a malformed channels section with one line', () => {
    expect(() => parseConfig({ channels: { prefix: 1 } })).toThrow(/"channels" \.prefix must be a string/);
    expect(() => parseConfig({ channels: { orgWide: ['org:{'] } })).toThrow(/unbalanced/);
    expect(() => parseConfig({ channels: { rooms: [] } })).toThrow(/not a known key/);
  });
});

describe('error handling, client reuse, back-off ceiling', () => {
  it(".on('error') / .on('close') never fire in v2; an unobserved subscribe warns; a system listener or a named handler counts", () => {
    const r = judge(copy('status')).results['client.error-handling'];
    expect(r?.status).toBe('fail');
    expect(where(r)).toEqual(['status.ts:7:6', 'status.ts:8:6', 'status.ts:14:11']);
  });

  it('createClient in a component body and eventsPerSecond above 10 warn; useMemo does not; a 30 s ceiling warns', () => {
    const { results } = judge(copy('reuse'));
    const reuse = results['client.reuse'];
    expect(reuse?.findings.filter((f) => /in the body of Widget/.test(f.detail)).map((f) => f.object)).toEqual(['Widget.tsx:5:18']);
    expect(reuse?.findings.filter((f) => /eventsPerSecond is 100/.test(f.detail))).toHaveLength(1);
    expect(reuse?.findings.some((f) => /eventsPerSecond is 10,/.test(f.detail))).toBe(false);
    expect(results['client.heartbeat']?.findings.map((f) => f.detail.split(' — ')[0])).toEqual([
      "reconnectAfterMs is capped at 30000 ms, above the guide's 10000 ms: after an outage clients wait up to 30 s to come back",
    ]);
  });
});

describe('channel privacy (Realtime Authorization)', () => {
  it('public org-wide channels fail, a public conversation channel warns, a private one without any token warns', () => {
    const r = judge(copy('privacy-public')).results['client.channel-privacy'];
    expect(r?.status).toBe('fail');
    expect(r?.findings.map((f) => [f.object, f.severity])).toEqual([
      ['channels.ts:3:46', 'fail'], ['channels.ts:4:46', 'fail'], ['channels.ts:5:67', 'warn'], ['channels.ts:6:52', 'warn'],
    ]);
    expect(r?.findings[3]?.detail).toMatch(/nothing under --src gives Realtime an access token/);
  });

  it('private channels and an anonymous sign-in pass', () => {
    expect(judge(copy('privacy-private')).results['client.channel-privacy']).toMatchObject({ status: 'pass' });
  });

  it('a sign-in in a file with no realtime code (read by text, not walked) counts', () => {
    const root = tree({
      'feed.ts': "export const feed = (o) => sb.channel(`bcast:org:${o}`, { config: { postgres_changes: [], private: true } });\n",
      'pages/login.tsx': 'export async function login(email, password) {\n  await supabase.auth\n    .signInWithPassword({ email, password });\n}\n',
    });
    const r = judge(root).results['client.channel-privacy'];
    expect(r?.status).toBe('pass');
    expect(r?.summary).toMatch(/signInWithPassword\(\), pages\/login\.tsx:3/);
  });
});

describe('lockfile readers', () => {
  it('find every resolved @supabase/realtime-js in npm (v1 and v3), pnpm (old and new), yarn (classic and berry) and bun lockfiles', async () => {
    const { lockedVersions, compareVersions } = await import('../../src/client/version.js');
    expect(lockedVersions('package-lock.json', JSON.stringify({ dependencies: { '@supabase/supabase-js': { version: '2.39.0', dependencies: { '@supabase/realtime-js': { version: '2.9.3' } } } } }))).toEqual(['2.9.3']);
    expect(lockedVersions('package-lock.json', JSON.stringify({ packages: { 'node_modules/@supabase/realtime-js': { version: '2.112.2' }, 'node_modules/x/node_modules/@supabase/realtime-js': { version: '2.10.0' } } }))).toEqual(['2.10.0', '2.112.2']);
    expect(lockedVersions('pnpm-lock.yaml', "packages:\n  /@supabase/realtime-js/2.8.4:\n    resolution: x\n  '@supabase/realtime-js@2.11.2':\n    resolution: y\n")).toEqual(['2.8.4', '2.11.2']);
    expect(lockedVersions('yarn.lock', '"@supabase/realtime-js@^2.10.2":\n  version "2.10.7"\n  resolved "https://x"\n')).toEqual(['2.10.7']);
    expect(lockedVersions('yarn.lock', '"@supabase/realtime-js@npm:2.11.0":\n  version: 2.11.0\n  resolution: "x"\n')).toEqual(['2.11.0']);
    expect(lockedVersions('bun.lock', '"@supabase/realtime-js": ["@supabase/realtime-js@2.15.1", "", {}, "sha512-x"],')).toEqual(['2.15.1']);
    expect(lockedVersions('package-lock.json', '{ not json')).toEqual([]);
    expect(['2.112.2', '2.9.0', '2.112.10', '2.112.2-canary.1'].sort(compareVersions)).toEqual(['2.9.0', '2.112.2-canary.1', '2.112.2', '2.112.10']);
  });
});

describe('storage × removal (generated)', () => {
  // Each way of keeping a channel, with the removal that reaches it; every other pairing must not count.
  const storages: Record<string, { setup: string; store: string }> = {
    ref: { setup: 'const box = useRef(null);', store: 'box.current = ch;' },
    state: { setup: 'const [box, setBox] = useState(null);', store: 'setBox(ch);' },
    map: { setup: 'const box = useRef(new Map()).current;', store: 'box.set(id, ch);' },
    list: { setup: 'const box = useRef([]).current;', store: 'box.push(ch);' },
    object: { setup: 'const box = useRef({}).current;', store: 'box[id] = ch;' },
  };
  const removals: Record<string, string> = {
    ref: 'sb.removeChannel(box.current);',
    state: 'if (box) sb.removeChannel(box);',
    map: 'box.forEach((c) => sb.removeChannel(c));',
    list: 'for (const c of box) c.unsubscribe();',
    object: 'Object.values(box).forEach((c) => sb.removeChannel(c));',
  };
  // Collections are one kind of place (`box[*]`): campfire does not know whether `box` is a Map, an array or an
  // object, so any removal that iterates it counts; React state may hold a channel or a collection of them.
  const collection = ['map', 'list', 'object'];
  const fits: Record<string, string[]> = { ref: ['ref'], state: ['state', ...collection], map: collection, list: collection, object: collection };
  for (const [storage, { setup, store }] of Object.entries(storages)) {
    for (const [removal, remove] of Object.entries(removals)) {
      // A removal in another effect's cleanup (the channel outlives its effect through where it is kept).
      const expected = fits[storage]?.includes(removal) ? 'elsewhere' : 'none';
      it(`kept in ${storage}, removed as ${removal}: ${expected}`, () => {
        const root = tree({
          'c.tsx': [
            'export function C({ id }) {',
            `  ${setup}`,
            "  useEffect(() => { const ch = sb.channel('bcast:org:o'); " + store + ' }, [id]);',
            `  useEffect(() => () => { ${remove} }, []);`,
            '  return null;',
            '}',
          ].join('\n'),
        });
        expect(gatherClient(root, root).channels[0]?.removal).toBe(expected);
      });
    }
  }
});

describe('small readings', () => {
  it('config.private as realtime-js reads it (`private || false`): literals, const booleans, truthy strings; unknown otherwise', () => {
    const root = tree({
      'p.ts': [
        'const PRIVATE = true;',
        "sb.channel('a', { config: { private: PRIVATE } });",
        "sb.channel('b', { config: { private: 'yes' } });",
        "sb.channel('c', { config: { private: 0 } });",
        "sb.channel('d', { config: { private: flags.private } });",
        "sb.channel('e', { config: { ...shared } });",
        "sb.channel('f');",
      ].join('\n'),
    });
    expect(gatherClient(root, root).channels.map((c) => c.private)).toEqual([true, true, false, 'dynamic', 'dynamic', false]);
  });

  it('createClient at the top of a Vue <script setup> or Svelte instance script runs per component instance', () => {
    const root = tree({
      'A.vue': "<script setup>\nimport { createClient } from '@supabase/supabase-js';\nconst sb = createClient(url, key);\n</script>\n",
      'B.svelte': "<script context=\"module\">\nimport { createClient } from '@supabase/supabase-js';\nexport const sb = createClient(url, key);\n</script>\n",
      'c.ts': "import { createClient as make } from '@supabase/supabase-js';\nexport const sb = make(url, key);\n",
    });
    const clients = gatherClient(root, root).clients;
    expect(clients.map((c) => [c.at.file, c.at.line, c.body])).toEqual([['A.vue', 3, 'A.vue'], ['B.svelte', 3, null], ['c.ts', 2, null]]);
  });
});

describe('constants imported from other files of the app', () => {
  it('resolves exported const objects and enums by name; a name two files export differently stays unknown', () => {
    const root = copy('imports');
    const { stats, results } = judge(root);
    expect(stats.channels.map((c) => c.name)).toEqual([{ kind: 'literal', text: 'bcast:org:lobby' }]);
    expect(stats.listeners.map((l) => [l.at.line, l.type, l.event?.kind === 'literal' ? l.event.text : null])).toEqual([
      [6, 'postgres_changes', 'INSERT'], [7, 'broadcast', 'ping'],
    ]);
    expect(stats.sends.map((s) => s.event)).toEqual([{ kind: 'literal', text: 'ping' }]);
    expect(where(results['client.broadcast-only'])).toEqual(['features/feed.ts:6:11']);

    writeFileSync(path.join(root, 'lib/other.ts'), "export const CHANNEL_TYPES = { DB: 'presence', CAST: 'broadcast' };\n");
    const again = judge(root).stats;
    // CHANNEL_TYPES is now exported twice with different values: ambiguous as a whole, so both stay unknown
    // (kept: they are on a known channel).
    expect(again.listeners.map((l) => l.type)).toEqual(['unknown', 'unknown']);
  });
});
