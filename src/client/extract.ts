import { parseSync } from 'oxc-parser';
import { calledMethod, calleeObject, child, children, isFunction, keyName, normalizedName, property, unwrap, walk, type Node } from './ast.js';
import { Evaluator, type Known } from './constants.js';
import { effectCleanup, effectHook } from './effects.js';
import { Keys } from './keys.js';
import { LineIndex } from './location.js';
import { Scopes } from './scope.js';
import { authSignal, clientCreation, importRef, observesStatus, postgresChangesOf, privateOf, staticOf } from './facts.js';
import { timingValue, TIMING_KEYS } from './timing.js';
import type {
  AuthSignal, ChannelCall, ClientCreation, ClientStats, Effect, Listener, ParseFailure, Send, TimingKey, TimingSetting, UnifiedEvents,
} from './stats.js';
import { unifiedEventEntries } from './unified-events.js';
import { bindingOf, callsName, chainOf, channelCallIn, helperName, methodStart, returnsValue, type ChainUse } from './chains.js';

/** realtime-js v2 listen types, and the guide's 'error'/'close' (which v2 never emits on a channel). */
export const LISTEN_TYPES = new Set(['broadcast', 'postgres_changes', 'presence', 'system', 'error', 'close']);

/** Words every realtime fact comes from; a file without one is parsed (for syntax errors) but not walked. */
const RELEVANT = /channel|broadcast|postgres_changes|httpSend|UNIFIED_EVENTS|heartbeatIntervalMs|reconnectAfterMs|rejoinAfterMs|eventsPerSecond/;
/** supabase-js's createClient (client.reuse, and the accessToken option) is only looked for where supabase-js is imported. */
const CLIENT_MODULE = /@supabase\/supabase-js/;
/**
 * Calls that give Realtime an access token, found by text in files that are otherwise not walked (login
 * pages and the like are many; building their AST for this alone would double the scan's cost).
 */
const AUTH_CALL = /\.\s*(setAuth|signInAnonymously|signInWithPassword|signInWithOtp|signInWithOAuth|signInWithIdToken|signInWithSSO|signInWithWeb3|signUp|setSession|verifyOtp|exchangeCodeForSession)\s*\(/g;

/**
 * The values of a file's top-level `export const X = …` / `export enum X { … }`, for names other files of the
 * app import (gather asks only for files that declare one of the names it needs).
 */
export function extractExports(file: string, source: string, lang?: ExtractOptions['lang']): Map<string, Known> {
  const into = new Map<string, Known>();
  let parsed;
  try {
    parsed = parseSync(file, source, lang ? { lang } : /\.[cm]?js$/.test(file) ? { lang: 'jsx' } : {});
  } catch {
    return into;
  }
  if (parsed.errors.length) return into;
  const program = parsed.program as unknown as Node;
  const evaluate = new Evaluator(new Scopes(program, true), program);
  for (const stmt of children(program, 'body')) {
    if (stmt.type !== 'ExportNamedDeclaration') continue;
    const decl = child(stmt, 'declaration');
    if (decl?.type === 'VariableDeclaration' && decl.kind === 'const') {
      for (const d of children(decl, 'declarations')) {
        const id = child(d, 'id');
        const v = id?.type === 'Identifier' ? evaluate.value(child(d, 'init'), [program], 0) : null;
        if (id && v !== null) into.set(id.name as string, v);
      }
    } else if (decl?.type === 'TSEnumDeclaration') {
      const id = child(decl, 'id');
      const v = id ? evaluate.value(id, [program], 0) : null;
      if (id && v !== null) into.set(id.name as string, v);
    }
  }
  return into;
}

/** The facts of one file; channel and effect numbers are local to the file until gather renumbers them. */
export type FileFacts = Omit<ClientStats, 'root' | 'files' | 'unparsed' | 'skipped' | 'version' | 'exportedValues'> & { unparsed: ParseFailure | null };

export interface ExtractOptions {
  /** Parser language; by default from the file name (.js files are read as JSX). */
  lang?: 'ts' | 'tsx' | 'js' | 'jsx';
  /** The module's top level runs once per component instance (Vue `<script setup>`, Svelte's instance script, Astro frontmatter). */
  componentScript?: string | null;
}

interface Pending { use: ChainUse; type: string }
interface Store { from: string[]; fromChannel: Node | null; to: string[] }
interface Removal { keys: string[]; start: number; all: boolean }
interface HelperCall { fn: Node; effect: number; result: string | null; resultName: string | null }

/** Parses one file and extracts its facts; a file that does not parse yields only the failure. */
export function extractFile(file: string, source: string, options: ExtractOptions = {}): FileFacts {
  const lines = new LineIndex(file, source);
  const empty: FileFacts = { channels: [], listeners: [], sends: [], effects: [], timings: [], unifiedEvents: null, unparsed: null, clients: [], authSignals: [] };
  let parsed;
  try {
    // JSX in .js files is common in React apps (Create React App, older code); JSX is a superset of JS
    // for real code, so .js/.mjs/.cjs are read as JSX instead of failing on the first tag.
    const lang = options.lang ?? (/\.[cm]?js$/.test(file) ? 'jsx' : undefined);
    parsed = parseSync(file, source, lang ? { lang } : {});
  } catch (err) {
    return { ...empty, unparsed: { at: lines.at(0), message: `parser failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
  const error = parsed.errors[0];
  if (error) {
    const offset = error.labels?.[0]?.start ?? 0;
    return { ...empty, unparsed: { at: lines.at(offset), message: `syntax error: ${error.message}` } };
  }

  // Every fact comes from one of these words; most files of an app have none, and walking their AST
  // would find nothing. (They are still parsed: a syntax error is a finding.)
  // (`parsed.program` is built from the parser's output on first access — most of the cost of a file — so
  // files that mention no realtime API never touch it.)
  if (!RELEVANT.test(source) && !(source.includes('createClient') && CLIENT_MODULE.test(source))) {
    for (const m of source.matchAll(AUTH_CALL)) empty.authSignals.push({ at: lines.at(m.index ?? 0), what: `${m[1] as string}()` });
    return empty;
  }
  const program = parsed.program as unknown as Node;
  const scopes = new Scopes(program);
  const evaluate = new Evaluator(scopes, program);
  const keys = new Keys(scopes);
  const facts = empty;
  const channelIds = new Map<Node, number>();
  const channelNodes: Node[] = [];
  const channelKeys: Set<string>[] = [];
  const channelFns: Node[][] = []; // enclosing functions of each channel call, outermost first
  const effectFns = new Map<Node, number>(); // effect callback → index
  const cleanupFns: (Node | null)[] = [];
  const cleanupReturned: (Node | null)[] = [];
  const subscribes: { key: string | null; chain: Node | null; start: number; end: number; scope: number; observes: 'yes' | 'no' | 'unknown'; at: Node }[] = [];
  const pendingListeners: { listener: Listener; pending: Pending }[] = [];
  const sendUses: { send: Send; use: ChainUse }[] = [];
  const stores: Store[] = [];
  const keyText = new Map<string, string>(); // storage key → how the source writes it
  const removals: Removal[] = [];
  const helperCalls: HelperCall[] = [];
  const exported = new Set<string>();
  let unifiedDecl: { node: Node; init: Node } | null = null;

  walk(program, (node, ancestors) => {
    switch (node.type) {
      case 'VariableDeclarator': {
        const id = child(node, 'id');
        const init = unwrap(child(node, 'init'));
        if (id?.type === 'Identifier' && init && id.name === 'UNIFIED_EVENTS' && !unifiedDecl) {
          unifiedDecl = { node, init };
          if (ancestors.at(-2)?.type === 'ExportNamedDeclaration') exported.add('UNIFIED_EVENTS');
        }
        break;
      }
      case 'ExportSpecifier': {
        const local = keyName(child(node, 'local'));
        if (local) exported.add(local);
        break;
      }
      case 'Property': {
        const key = node.computed ? null : keyName(child(node, 'key'));
        if (key && TIMING_KEYS.has(key as TimingKey)) facts.timings.push(timingSetting(node, key as TimingKey, ancestors));
        if (key === 'accessToken' && isFunction(unwrap(child(node, 'value')))) facts.authSignals.push({ at: lines.at(node.start), what: 'createClient accessToken option' });
        break;
      }
      case 'AssignmentExpression':
        recordStores(node, ancestors);
        break;
      case 'CallExpression':
        recordStores(node, ancestors);
        onCall(node, ancestors);
        break;
    }
  });

  function recordStores(node: Node, ancestors: Node[]): void {
    for (const { value, to, text } of keys.storeTargets(node, ancestors)) {
      for (const k of to) if (!keyText.has(k)) keyText.set(k, text);
      const v = unwrap(value);
      if (!v) continue;
      const store: Store = { from: [], fromChannel: null, to };
      if (isFunction(v)) {
        // setChannels((prev) => ({ ...prev, [id]: channel })): whatever the updater mentions may be stored.
        const inner = [...ancestors, node, v];
        walk(v, (n) => { if (n.type === 'Identifier') { const k = keys.of(n, inner); if (k) store.from.push(k); } });
      } else {
        const k = keys.of(v, ancestors);
        if (k) store.from.push(k);
        store.fromChannel = channelCallIn(v);
      }
      if (store.from.length || store.fromChannel) stores.push(store);
    }
  }

  function timingSetting(node: Node, key: TimingKey, ancestors: Node[]): TimingSetting {
    // Inside the options argument of a `.channel(name, options)` call → a channel setting.
    const inChannel = ancestors.some((a) => a.type === 'CallExpression' && calledMethod(a) === 'channel'
      && children(a, 'arguments').slice(1).some((arg) => arg.start <= node.start && node.end <= arg.end));
    return { at: lines.at(node.start), key, where: inChannel ? 'channel' : 'client', value: timingValue(child(node, 'value')) };
  }

  function onCall(call: Node, ancestors: Node[]): void {
    const hook = effectHook(call);
    if (hook) {
      const fn = unwrap(children(call, 'arguments')[0] ?? null);
      if (fn && isFunction(fn)) {
        effectFns.set(fn, facts.effects.length);
        const cleanup = hook === 'onMounted' ? null : effectCleanup(fn);
        cleanupFns.push(cleanup?.fn ?? null);
        cleanupReturned.push(cleanup?.returned ?? null);
        const at = lines.at(methodStart(call));
        const effect: Effect = { at, hook, cleanup: cleanup ? { at: lines.at((cleanup.fn ?? cleanup.returned ?? fn).start), unsubscribed: [], removed: [], removesAll: false } : null };
        facts.effects.push(effect);
      }
      return;
    }
    const creation = clientCreation(call, ancestors, scopes, options.componentScript ?? null);
    if (creation) facts.clients.push({ at: lines.at(call.start), body: creation.body } satisfies ClientCreation);
    const auth = authSignal(call);
    if (auth) facts.authSignals.push({ at: lines.at(methodStart(call)), what: auth } satisfies AuthSignal);

    const callee = unwrap(child(call, 'callee'));
    const effect = callee?.type === 'Identifier' ? enclosingEffect(ancestors) : null;
    if (callee?.type === 'Identifier' && effect !== null) {
      // A same-file helper called from an effect: channels it creates belong to that effect.
      const decl = scopes.resolve(callee.name as string, ancestors);
      const fn = decl?.kind === 'function' ? decl.node : decl?.kind === 'const' && isFunction(decl.init) ? decl.init : null;
      if (fn) {
        const b = bindingOf(call, ancestors);
        const target = b ? unwrap(b.target) : null;
        helperCalls.push({ fn, effect, result: b ? keys.of(b.target, ancestors) : null, resultName: target?.type === 'Identifier' ? (target.name as string) : null });
      }
    }

    const method = calledMethod(call);
    const args = children(call, 'arguments');
    if (method === 'removeChannel') {
      removals.push({ keys: keys.removalKeys(args[0] ?? null, ancestors), start: call.start, all: false });
    } else if (method === 'unsubscribe') {
      const target = calleeObject(call);
      const own = target ? chainOf(call, ancestors, keys) : null;
      removals.push({ keys: target ? keys.removalKeys(target, ancestors) : [], start: call.start, all: false });
      if (own?.channel) removals.push({ keys: [`chan@${own.channel.start}`], start: call.start, all: false });
    } else if (method === 'removeAllChannels') {
      removals.push({ keys: [], start: call.start, all: true });
    }

    if (method === 'channel' && args.length >= 1) {
      const id = facts.channels.length;
      channelIds.set(call, id);
      channelNodes.push(call);
      channelFns.push(ancestors.filter(isFunction));
      const binding = bindingOf(call, ancestors);
      const own = new Set<string>([`chan@${call.start}`]);
      const bound = binding ? keys.of(binding.target, ancestors) : null;
      if (bound) own.add(bound);
      channelKeys.push(own);
      const channel: ChannelCall = {
        id,
        at: lines.at(methodStart(call)),
        name: staticOf(args[0] ?? null, ancestors, evaluate, source),
        postgresChanges: postgresChangesOf(args[1]),
        binding: binding ? normalizedName(binding.target, source) : null,
        effect: enclosingEffect(ancestors),
        private: privateOf(args[1] ?? null, ancestors, evaluate),
        storedIn: [],
        removal: 'none',
        helper: null,
        subscribe: null,
      };
      facts.channels.push(channel);
    } else if (method === 'subscribe') {
      const use = chainOf(call, ancestors, keys);
      if (use.key || use.channel) {
        subscribes.push({ key: use.key, chain: use.channel, start: call.start, end: call.end, scope: use.scopes.at(-1) ?? -1,
          observes: observesStatus(args[0] ?? null, ancestors, scopes, evaluate), at: call });
      }
    } else if (method === 'on' && args.length >= 1) {
      const type = evaluate.string(args[0] ?? null, ancestors);
      if (type !== null && !LISTEN_TYPES.has(type)) return;
      const typeRef = type === null ? importRef(args[0] ?? null, ancestors, evaluate) : null;
      const filter = unwrap(args[1] ?? null);
      const event = property(filter, 'event');
      const listener: Listener = {
        at: lines.at(methodStart(call)),
        type: type ?? 'unknown',
        event: event === undefined || event === null ? null : staticOf(event, ancestors, evaluate, source),
        channel: null,
        afterSubscribe: false,
        filterSource: filter ? normalizedName(filter, source) : '',
        ...(typeRef ? { typeRef } : {}),
      };
      pendingListeners.push({ listener, pending: { use: chainOf(call, ancestors, keys), type: listener.type } });
    } else if (method === 'send' || method === 'httpSend') {
      const arg = unwrap(args[0] ?? null);
      let event = null;
      if (method === 'httpSend' && arg) event = staticOf(arg, ancestors, evaluate, source);
      const type = property(arg, 'type');
      if (method === 'send' && type && evaluate.string(type, ancestors) === 'broadcast') {
        const ev = property(arg, 'event');
        event = ev === undefined || ev === null ? { kind: 'dynamic' as const, source: '(no event)' } : staticOf(ev, ancestors, evaluate, source);
      }
      if (!event) return;
      const send: Send = { at: lines.at(methodStart(call)), event, channel: null };
      facts.sends.push(send);
      sendUses.push({ send, use: chainOf(call, ancestors, keys) });
    }
  }

  function enclosingEffect(ancestors: Node[]): number | null {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if (a && effectFns.has(a)) return effectFns.get(a) ?? null;
    }
    return null;
  }

  // Channels created by same-file helpers that an effect calls belong to that effect.
  facts.channels.forEach((c, i) => {
    if (c.effect !== null) return;
    const fns = channelFns[i] ?? [];
    const hc = helperCalls.find((h) => fns.includes(h.fn));
    if (!hc) return;
    c.effect = hc.effect;
    c.helper = helperName(hc.fn, source);
    // A helper that returns the channel hands it to the variable the effect keeps its result in.
    const channelNode = channelNodes[i] as Node;
    if (hc.result && returnsValue(hc.fn, channelNode, (n, anc) => channelKeys[i]?.has(keys.of(n, [program, ...anc]) ?? '') ?? false)) channelKeys[i]?.add(hc.result);
    // A helper that returns a function removing the channel: the effect's cleanup must call (or return) it.
    const cleanup = cleanupFns[hc.effect] ?? null;
    const returned = unwrap(cleanupReturned[hc.effect] ?? null);
    const removedInHelper = removals.some((r) => r.start > hc.fn.start && r.start < hc.fn.end && r.keys.some((k) => channelKeys[i]?.has(k)));
    if (removedInHelper && hc.resultName) {
      // Within one effect callback, its own variable is the one of that name.
      const returnsIt = returned?.type === 'Identifier' && returned.name === hc.resultName;
      if (returnsIt || (cleanup !== null && callsName(cleanup, hc.resultName))) c.removal = 'cleanup';
    }
  });

  // Where each channel travels: follow stores from its keys until nothing new is added.
  for (let i = 0; i < facts.channels.length; i++) {
    const own = channelKeys[i] as Set<string>;
    const node = channelNodes[i] as Node;
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of stores) {
        if (!(s.fromChannel === node || s.from.some((k) => own.has(k)))) continue;
        for (const t of s.to) if (!own.has(t)) { own.add(t); grew = true; }
      }
    }
    const c = facts.channels[i] as ChannelCall;
    c.storedIn = [...new Set([...own].flatMap((k) => (keyText.has(k) ? [keyText.get(k) as string] : [])))];
  }

  // Tie listeners and sends to channels. A chain that starts at `.channel(…)` is that channel; one that
  // starts at a variable or member is the channel stored there (the latest created before the use, or
  // the only one for a class field used across methods). Anything else is not tied: unknown, not guessed.
  const channelFor = (use: ChainUse): number | null => {
    if (use.channel) return channelIds.get(use.channel) ?? null;
    if (!use.key) return null;
    const holders = facts.channels.filter((c) => channelKeys[c.id]?.has(use.key as string));
    const before = holders.filter((c) => (channelNodes[c.id]?.start ?? Infinity) < use.node.start);
    if (before.length) return before.at(-1)?.id ?? null;
    return holders.length === 1 ? (holders[0]?.id ?? null) : null;
  };
  for (const { listener, pending } of pendingListeners) {
    const { use } = pending;
    const channel = channelFor(use);
    // `.on(x, …)` of some other API (an event emitter) is only a listener when it is tied to a channel,
    // or its type is a realtime-js listen type written as such.
    // (A type imported from another file is kept until gather resolves it.)
    if (channel === null && !listener.typeRef && (pending.type === 'unknown' || pending.type === 'error' || pending.type === 'close')) continue;
    listener.channel = channel;
    const at = use.node.start;
    const createdAt = channel === null ? -1 : (channelNodes[channel]?.start ?? -1);
    listener.afterSubscribe = use.afterSubscribeInChain
      || (use.key !== null && subscribes.some((s) => s.key === use.key && s.end <= at
        && s.start > createdAt && (s.scope === (use.scopes.at(-1) ?? -1) || (s.scope !== -1 && use.scopes.includes(s.scope)))));
    facts.listeners.push(listener);
  }
  for (const { send, use } of sendUses) send.channel = channelFor(use);

  // Subscriptions and removals of each channel.
  for (const s of subscribes) {
    const id = s.chain ? (channelIds.get(s.chain) ?? null) : channelFor({ node: s.at, key: s.key, channel: null, scopes: [], afterSubscribeInChain: false });
    if (id === null) continue;
    const c = facts.channels[id] as ChannelCall;
    const system = facts.listeners.some((l) => l.channel === id && l.type === 'system');
    const observes = system ? 'yes' : s.observes;
    if (!c.subscribe || rank(observes) > rank(c.subscribe.observes)) c.subscribe = { at: lines.at(methodStart(s.at)), observes };
  }
  facts.channels.forEach((c, i) => {
    if (c.effect === null || c.removal === 'cleanup') return;
    const own = channelKeys[i] as Set<string>;
    const effect = facts.effects[c.effect] as Effect;
    const cleanup = cleanupFns[c.effect] ?? null;
    const effectFn = [...effectFns.entries()].find(([, idx]) => idx === c.effect)?.[0];
    const mine = removals.filter((r) => r.all || r.keys.some((k) => own.has(k)));
    if (cleanup && mine.some((r) => r.start >= cleanup.start && r.start < cleanup.end)) {
      c.removal = 'cleanup';
      if (effect.cleanup) effect.cleanup.removesAll ||= mine.some((r) => r.all && r.start >= cleanup.start && r.start < cleanup.end);
    } else if (effectFn && mine.some((r) => !r.all && (r.start < effectFn.start || r.start >= effectFn.end))) {
      // Kept somewhere that outlives the effect (a ref, a field, state, a module variable) and removed there.
      c.removal = 'elsewhere';
    }
  });

  // Source order (the walk meets an outer chain call before the calls inside it): "first" and
  // "duplicate" then mean what a reader of the file means.
  const bySource = (a: { at: { line: number; column: number } }, b: { at: { line: number; column: number } }) =>
    a.at.line - b.at.line || a.at.column - b.at.column;
  facts.listeners.sort(bySource);
  facts.sends.sort(bySource);

  const decl = unifiedDecl as { node: Node; init: Node } | null;
  if (decl && exported.has('UNIFIED_EVENTS')) {
    const entries = unifiedEventEntries(decl.init);
    if (entries) facts.unifiedEvents = { at: lines.at(decl.node.start), entries } satisfies UnifiedEvents;
  }
  return facts;
}

function rank(o: 'yes' | 'no' | 'unknown'): number {
  return o === 'yes' ? 2 : o === 'unknown' ? 1 : 0;
}
