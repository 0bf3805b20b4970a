import { parseSync } from 'oxc-parser';
import {
  calledMethod, calleeObject, child, children, isFunction, keyName, normalizedName, property, hasSpread,
  staticValue, unwrap, walk, type Node,
} from './ast.js';
import { effectCleanup, isEffectCall } from './effects.js';
import { LineIndex } from './location.js';
import { timingValue, TIMING_KEYS } from './timing.js';
import type {
  ChannelCall, ClientStats, Effect, Listener, ParseFailure, Send, StaticValue, TimingKey, TimingSetting, UnifiedEvents,
} from './stats.js';
import { unifiedEventEntries } from './unified-events.js';

/** realtime-js listen types: `.on(type, …)` with another first argument belongs to some other API. */
const LISTEN_TYPES = new Set(['broadcast', 'postgres_changes', 'presence', 'system']);

const RELEVANT = /channel|broadcast|postgres_changes|httpSend|UNIFIED_EVENTS|heartbeatIntervalMs|reconnectAfterMs|rejoinAfterMs/;

/** The facts of one file; channel and effect numbers are local to the file until gather renumbers them. */
export type FileFacts = Omit<ClientStats, 'root' | 'files' | 'unparsed'> & { unparsed: ParseFailure | null };

interface PendingUse {
  node: Node;
  /** Start offsets of the functions enclosing the call, outermost first (module scope is -1). */
  scopes: number[];
  /** The call that starts the chain (`x.channel(…)`), or the variable the chain starts from. */
  chainChannel: Node | null;
  chainBinding: string | null;
  afterSubscribeInChain: boolean;
}

/** Parses one file and extracts its facts; a file that does not parse yields only the failure. */
export function extractFile(file: string, source: string): FileFacts {
  const lines = new LineIndex(file, source);
  const empty: FileFacts = { channels: [], listeners: [], sends: [], effects: [], timings: [], unifiedEvents: null, unparsed: null };
  let parsed;
  try {
    // JSX in .js files is common in React apps (Create React App, older code); JSX is a superset of JS
    // for real code, so .js/.mjs/.cjs are read as JSX instead of failing on the first tag.
    parsed = parseSync(file, source, /\.[cm]?js$/.test(file) ? { lang: 'jsx' } : {});
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
  if (!RELEVANT.test(source)) return empty;
  const facts = empty;
  const channelIds = new Map<Node, number>();
  const channelStarts: number[] = [];
  const channelScopes: number[] = []; // innermost enclosing function of each channel call
  const effectIds = new Map<Node, number>(); // effect callback → index
  const consts = new Map<string, StaticValue>();
  const subscribes: { binding: string; start: number; end: number; scope: number }[] = [];
  const listenerUses: { listener: Listener; use: PendingUse }[] = [];
  const sendUses: { send: Send; use: PendingUse }[] = [];
  const exported = new Set<string>();
  const eventAliases = new Set<string>(['UNIFIED_EVENTS']);
  let unifiedDecl: { node: Node; init: Node } | null = null;

  walk(parsed.program as unknown as Node, (node, ancestors) => {
    switch (node.type) {
      case 'VariableDeclarator': {
        const id = child(node, 'id');
        const init = unwrap(child(node, 'init'));
        if (id?.type !== 'Identifier' || !init) break;
        const name = id.name as string;
        if (init.type === 'Literal' || init.type === 'TemplateLiteral') consts.set(name, staticValue(init, source));
        if (name === 'UNIFIED_EVENTS' && !unifiedDecl) {
          unifiedDecl = { node, init };
          if (ancestors.at(-2)?.type === 'ExportNamedDeclaration') exported.add(name);
        }
        break;
      }
      case 'ImportSpecifier': {
        // import { UNIFIED_EVENTS as EVENTS } → EVENTS.X means UNIFIED_EVENTS.X
        const local = keyName(child(node, 'local'));
        if (keyName(child(node, 'imported')) === 'UNIFIED_EVENTS' && local) eventAliases.add(local);
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
        break;
      }
      case 'CallExpression':
        onCall(node, ancestors);
        break;
    }
  });

  function timingSetting(node: Node, key: TimingKey, ancestors: Node[]): TimingSetting {
    // Inside the options argument of a `.channel(name, options)` call → a channel setting.
    const inChannel = ancestors.some((a) => a.type === 'CallExpression' && calledMethod(a) === 'channel'
      && children(a, 'arguments').slice(1).some((arg) => arg.start <= node.start && node.end <= arg.end));
    return { at: lines.at(node.start), key, where: inChannel ? 'channel' : 'client', value: timingValue(child(node, 'value')) };
  }

  function onCall(call: Node, ancestors: Node[]): void {
    if (isEffectCall(call)) {
      const fn = unwrap(children(call, 'arguments')[0] ?? null);
      if (fn && isFunction(fn)) {
        effectIds.set(fn, facts.effects.length);
        const effect: Effect = { at: lines.at(methodStart(call)), cleanup: effectCleanup(fn, source, lines) };
        facts.effects.push(effect);
      }
      return;
    }
    const method = calledMethod(call);
    const args = children(call, 'arguments');
    if (method === 'channel' && args.length >= 1) {
      const id = facts.channels.length;
      channelIds.set(call, id);
      channelStarts.push(call.start);
      channelScopes.push(scopeChain(ancestors).at(-1) ?? -1);
      const channel: ChannelCall = {
        id,
        at: lines.at(methodStart(call)),
        name: staticValue(args[0] ?? null, source),
        postgresChanges: postgresChangesOf(args[1]),
        binding: bindingOf(call, ancestors),
        effect: enclosingEffect(ancestors),
      };
      facts.channels.push(channel);
    } else if (method === 'subscribe') {
      const base = chainOf(call, ancestors);
      if (base.chainBinding) subscribes.push({ binding: base.chainBinding, start: call.start, end: call.end, scope: base.scopes.at(-1) ?? -1 });
    } else if (method === 'on' && args.length >= 1) {
      const type = unwrap(args[0] ?? null);
      if (type?.type !== 'Literal' || typeof type.value !== 'string' || !LISTEN_TYPES.has(type.value)) return;
      const filter = unwrap(args[1] ?? null);
      const event = property(filter, 'event');
      const listener: Listener = {
        at: lines.at(methodStart(call)),
        type: type.value,
        event: event === undefined ? null : staticValue(event, source),
        channel: null,
        afterSubscribe: false,
        filterSource: filter ? normalizedName(filter, source) : '',
      };
      facts.listeners.push(listener);
      listenerUses.push({ listener, use: chainOf(call, ancestors) });
    } else if (method === 'send' || method === 'httpSend') {
      const arg = unwrap(args[0] ?? null);
      let event: StaticValue | null = null;
      if (method === 'httpSend' && arg) event = staticValue(arg, source);
      const type = property(arg, 'type');
      if (method === 'send' && type?.type === 'Literal' && type.value === 'broadcast') {
        const ev = property(arg, 'event');
        event = ev === undefined ? { kind: 'dynamic', source: '(no event)' } : staticValue(ev, source);
      }
      if (!event) return;
      const send: Send = { at: lines.at(methodStart(call)), event, channel: null };
      facts.sends.push(send);
      sendUses.push({ send, use: chainOf(call, ancestors) });
    }
  }

  function enclosingEffect(ancestors: Node[]): number | null {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if (a && effectIds.has(a)) return effectIds.get(a) ?? null;
    }
    return null;
  }

  // Tie listeners and sends to channels, and place them before or after subscribe(). A variable is
  // matched lexically: the latest channel assigned to that name earlier in the same or an enclosing
  // function, so two functions that both call their channel `channel` never see each other's.
  const visible = (scope: number, use: PendingUse) => scope === -1 || use.scopes.includes(scope);
  const channelFor = (use: PendingUse): number | null => {
    if (use.chainChannel) return channelIds.get(use.chainChannel) ?? null;
    if (!use.chainBinding) return null;
    const candidates = facts.channels.filter((c) => c.binding === use.chainBinding
      && (channelStarts[c.id] ?? Infinity) < use.node.start && visible(channelScopes[c.id] ?? -1, use));
    return candidates.at(-1)?.id ?? null;
  };
  for (const { listener, use } of listenerUses) {
    const at = use.node.start;
    const channel = channelFor(use);
    listener.channel = channel;
    const createdAt = channel === null ? -1 : (channelStarts[channel] ?? -1);
    listener.afterSubscribe = use.afterSubscribeInChain
      || (use.chainBinding !== null && subscribes.some((s) => s.binding === use.chainBinding && s.end <= at
        && s.start > createdAt && (s.scope === (use.scopes.at(-1) ?? -1) || (s.scope !== -1 && use.scopes.includes(s.scope)))));
  }
  for (const { send, use } of sendUses) send.channel = channelFor(use);

  // Source order (the walk meets an outer chain call before the calls inside it): "first" and
  // "duplicate" then mean what a reader of the file means.
  const bySource = (a: { at: { line: number; column: number } }, b: { at: { line: number; column: number } }) =>
    a.at.line - b.at.line || a.at.column - b.at.column;
  facts.listeners.sort(bySource);
  facts.sends.sort(bySource);

  // Identifiers bound to a string constant in this file resolve to it.
  for (const c of facts.channels) c.name = resolve(c.name, consts);
  for (const l of facts.listeners) if (l.event) l.event = eventRef(resolve(l.event, consts), eventAliases);
  for (const s of facts.sends) s.event = eventRef(resolve(s.event, consts), eventAliases);

  const decl = unifiedDecl as { node: Node; init: Node } | null;
  if (decl && exported.has('UNIFIED_EVENTS')) {
    const entries = unifiedEventEntries(decl.init);
    if (entries) facts.unifiedEvents = { at: lines.at(decl.node.start), entries } satisfies UnifiedEvents;
  }
  return facts;

  /** Walks down a call chain (`a.channel(…).on(…).subscribe()`) to where it starts. */
  function chainOf(call: Node, ancestors: Node[]): PendingUse {
    const use: PendingUse = { node: call, scopes: scopeChain(ancestors), chainChannel: null, chainBinding: null, afterSubscribeInChain: false };
    let cur = calleeObject(call);
    while (cur) {
      if (cur.type === 'CallExpression') {
        const m = calledMethod(cur);
        if (m === 'subscribe') use.afterSubscribeInChain = true;
        if (m === 'channel' && children(cur, 'arguments').length >= 1) {
          use.chainChannel = cur;
          return use;
        }
        cur = calleeObject(cur);
      } else if (cur.type === 'Identifier' || cur.type === 'MemberExpression' || cur.type === 'ThisExpression') {
        use.chainBinding = normalizedName(cur, source);
        return use;
      } else if (cur.type === 'AwaitExpression') {
        cur = unwrap(child(cur, 'argument'));
      } else return use;
    }
    return use;
  }

  /** The variable or member a channel chain is assigned to (`const ch = …`, `ref.current = …`). */
  function bindingOf(call: Node, ancestors: Node[]): string | null {
    let top: Node = call;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if (!a) break;
      const isChainLink = (a.type === 'MemberExpression' && child(a, 'object') === top)
        || (a.type === 'CallExpression' && child(a, 'callee') === top)
        || a.type === 'ChainExpression' || a.type === 'TSAsExpression' || a.type === 'TSNonNullExpression'
        || a.type === 'ParenthesizedExpression' || a.type === 'AwaitExpression';
      if (isChainLink) {
        top = a;
        continue;
      }
      if (a.type === 'VariableDeclarator' && child(a, 'init') === top) {
        const id = child(a, 'id');
        return id?.type === 'Identifier' ? (id.name as string) : null;
      }
      if (a.type === 'AssignmentExpression' && child(a, 'right') === top) {
        const left = child(a, 'left');
        return left ? normalizedName(left, source) : null;
      }
      return null;
    }
    return null;
  }
}

function scopeChain(ancestors: Node[]): number[] {
  return ancestors.filter(isFunction).map((f) => f.start);
}

/** Where a method call is reported: at the method name, so a finding in a long chain points at its own line. */
function methodStart(call: Node): number {
  const callee = unwrap(child(call, 'callee'));
  const prop = callee?.type === 'MemberExpression' ? child(callee, 'property') : null;
  return prop?.start ?? call.start;
}

function postgresChangesOf(options: Node | undefined): ChannelCall['postgresChanges'] {
  const opts = unwrap(options ?? null);
  if (!opts) return 'no-options';
  if (opts.type !== 'ObjectExpression') return 'options-dynamic';
  const config = property(opts, 'config');
  if (config === undefined) return hasSpread(opts) ? 'options-dynamic' : 'missing';
  if (!config || config.type !== 'ObjectExpression') return 'options-dynamic';
  const pc = property(config, 'postgres_changes');
  if (pc === undefined) return hasSpread(config) ? 'options-dynamic' : 'missing';
  if (pc?.type === 'ArrayExpression') return children(pc, 'elements').length === 0 ? 'empty' : 'non-empty';
  return 'dynamic';
}

/** `EVENTS.X` (an alias) and `ns.UNIFIED_EVENTS.X` (a namespace import) both mean UNIFIED_EVENTS.X. */
function eventRef(value: StaticValue, aliases: Set<string>): StaticValue {
  if (value.kind !== 'member') return value;
  if (aliases.has(value.object)) return { ...value, object: 'UNIFIED_EVENTS' };
  if (value.property.startsWith('UNIFIED_EVENTS.')) return { kind: 'member', object: 'UNIFIED_EVENTS', property: value.property.slice('UNIFIED_EVENTS.'.length) };
  return value;
}

function resolve(value: StaticValue, consts: Map<string, StaticValue>): StaticValue {
  if (value.kind !== 'dynamic') return value;
  return consts.get(value.source) ?? value;
}
