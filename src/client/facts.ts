/** Small facts read at one call: names, privacy, status handling, client creation, auth. */
import { calledMethod, child, children, hasSpread, isFunction, keyName, memberPath, property, sourceOf, unwrap, walk, type Node } from './ast.js';
import { SDK_MODULES, type Evaluator } from './constants.js';
import type { Scopes } from './scope.js';
import type { ChannelCall, StaticValue } from './stats.js';

/**
 * A name or event as far as it is known: a literal (also through `const`s, enums and constant objects
 * resolved by scope), a template whose unknown holes stay holes, `OBJ.KEY` kept for the event list, or
 * dynamic.
 */
export function staticOf(n: Node | null, ancestors: readonly Node[], evaluate: Evaluator, source: string, depth = 0): StaticValue {
  const node = unwrap(n);
  if (!node) return { kind: 'dynamic', source: '' };
  const known = evaluate.string(node, ancestors);
  if (known !== null) return { kind: 'literal', text: known };
  if (node.type === 'Identifier' && depth < 4) {
    // const NAME = `bcast:org:${orgId}` is judged as its template; a parameter or `let` stays unknown.
    const decl = evaluate.declOf(node.name as string, ancestors);
    const init = decl?.kind === 'const' ? unwrap(decl.init) : null;
    if (decl && init && (init.type === 'TemplateLiteral' || init.type === 'MemberExpression' || init.type === 'Identifier')) {
      return staticOf(init, evaluate.declAncestors(decl), evaluate, source, depth + 1);
    }
  }
  if (node.type === 'TemplateLiteral') {
    const quasis = children(node, 'quasis').map((q) => { const v = q.value as { cooked?: string | null; raw: string }; return v.cooked ?? v.raw; });
    const holes = children(node, 'expressions');
    const out: string[] = [quasis[0] ?? ''];
    holes.forEach((h, i) => {
      const v = evaluate.string(h, ancestors);
      if (v !== null) out[out.length - 1] += v + (quasis[i + 1] ?? '');
      else out.push(quasis[i + 1] ?? '');
    });
    return out.length === 1 ? { kind: 'literal', text: out[0] ?? '' } : { kind: 'template', quasis: out };
  }
  const path = node.type === 'MemberExpression' ? memberPath(node) : null;
  if (path && path.length >= 2) {
    // import { UNIFIED_EVENTS as EV } → EV.X; import * as events → events.UNIFIED_EVENTS.X: both are UNIFIED_EVENTS.X.
    const decl = evaluate.declOf(path[0] as string, ancestors);
    if (decl?.kind === 'import' && decl.imported === 'UNIFIED_EVENTS') return { kind: 'member', object: 'UNIFIED_EVENTS', property: path.slice(1).join('.') };
    if (decl?.kind === 'import' && decl.imported === '*' && path[1] === 'UNIFIED_EVENTS' && path.length >= 3) return { kind: 'member', object: 'UNIFIED_EVENTS', property: path.slice(2).join('.') };
    const imported = decl?.kind === 'import' && decl.imported && decl.imported !== '*' && decl.imported !== 'default' && !SDK_MODULES.has(decl.from ?? '') ? decl.imported : undefined;
    return { kind: 'member', object: path[0] ?? '', property: path.slice(1).join('.'), ...(imported ? { imported } : {}) };
  }
  return { kind: 'dynamic', source: sourceOf(node, source, 80) };
}

/** `config.private` of a channel's options: true/false when known, 'dynamic' when the options cannot be read. */
export function privateOf(options: Node | null, ancestors: readonly Node[], evaluate: Evaluator): boolean | 'dynamic' {
  const opts = unwrap(options);
  if (!opts) return false; // realtime-js defaults private to false
  if (opts.type !== 'ObjectExpression') return 'dynamic';
  const config = property(opts, 'config');
  if (config === undefined) return opts.properties && (opts.properties as Node[]).some((p) => p.type === 'SpreadElement') ? 'dynamic' : false;
  if (!config || config.type !== 'ObjectExpression') return 'dynamic';
  const p = property(config, 'private');
  if (p === undefined) return (config.properties as Node[]).some((x) => x.type === 'SpreadElement') ? 'dynamic' : false;
  // realtime-js reads it as `config.private || false`: any truthy value makes the channel private.
  const literal = p?.type === 'Identifier' ? constLiteral(p, ancestors, evaluate) : p;
  if (literal?.type === 'Literal') return Boolean(literal.value);
  const v = evaluate.value(p, ancestors, 0);
  return typeof v === 'string' ? v !== '' : 'dynamic';
}

/** The literal a `const` identifier is bound to (`const PRIVATE = true`), if any. */
function constLiteral(id: Node, ancestors: readonly Node[], evaluate: Evaluator): Node | null {
  const decl = evaluate.declOf(id.name as string, ancestors);
  const init = decl?.kind === 'const' ? unwrap(decl.init) : null;
  return init?.type === 'Literal' ? init : null;
}

const FAILURE_STATES = new Set(['CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED']);

/**
 * Whether a `.subscribe(callback)` observes failure: the callback compares its status with
 * CHANNEL_ERROR / TIMED_OUT / CLOSED (as strings or realtime-js's constants), tests `!== 'SUBSCRIBED'`,
 * uses its `err` argument, or hands the status to another function (which may handle it: unknown).
 */
export function observesStatus(arg: Node | null, ancestors: readonly Node[], scopes: Scopes, evaluate: Evaluator): 'yes' | 'no' | 'unknown' {
  let fn = unwrap(arg);
  if (!fn) return 'no';
  if (fn.type === 'Identifier') {
    const decl = scopes.resolve(fn.name as string, ancestors);
    fn = decl?.kind === 'function' ? decl.node : decl?.kind === 'const' && isFunction(decl.init) ? decl.init : null;
    if (!fn) return 'unknown';
  }
  if (!isFunction(fn)) return 'unknown';
  const params = children(fn, 'params').map((p) => (p.type === 'Identifier' ? (p.name as string) : null));
  const [status, err] = params;
  let verdict: 'yes' | 'no' | 'unknown' = 'no';
  walk(fn, (n, inner) => {
    if (verdict === 'yes') return;
    const anc = [...ancestors, ...inner];
    if (n.type === 'Literal' && typeof n.value === 'string' && FAILURE_STATES.has(n.value)) verdict = 'yes';
    else if (n.type === 'MemberExpression') {
      const v = evaluate.string(n, anc);
      if (v !== null && FAILURE_STATES.has(v)) verdict = 'yes';
    } else if (n.type === 'BinaryExpression' && (n.operator === '!==' || n.operator === '!=')) {
      const sides = [child(n, 'left'), child(n, 'right')].map((s) => evaluate.string(s, anc));
      if (sides.includes('SUBSCRIBED')) verdict = 'yes';
    } else if (n.type === 'Identifier' && err && n.name === err && inner.length > 1) verdict = 'yes';
    else if (n.type === 'CallExpression' && status && verdict === 'no') {
      const isConsole = memberPath(child(n, 'callee'))?.[0] === 'console';
      if (!isConsole && children(n, 'arguments').some((a) => unwrap(a)?.type === 'Identifier' && unwrap(a)?.name === status)) verdict = 'unknown';
    } else if (n.type === 'SwitchStatement' && status) {
      const d = unwrap(child(n, 'discriminant'));
      if (d?.type === 'Identifier' && d.name === status && children(n, 'cases').some((c) => child(c, 'test') === null)) verdict = 'yes';
    }
  });
  return verdict;
}

/** Hooks whose callback runs once per component, not on every render. */
const MEMO_HOOKS = new Set(['useMemo', 'useState', 'useRef', 'useCallback', 'useLazyRef']);

/**
 * A `createClient(…)` call (supabase-js's; not @supabase/ssr's createBrowserClient, which reuses one
 * client in the browser), and the component or hook whose body it runs in on every render, if any.
 */
export function clientCreation(call: Node, ancestors: readonly Node[], scopes: Scopes, componentScript: string | null): { body: string | null } | null {
  const callee = unwrap(child(call, 'callee'));
  const name = callee?.type === 'Identifier' ? (callee.name as string) : calledMethod(call);
  if (callee?.type === 'Identifier') {
    // Most calls are not createClient: only that name, or a local name it was imported as, is resolved.
    if (name !== 'createClient' && !scopes.importedAs.get('createClient')?.has(name ?? '')) return null;
    const decl = scopes.resolve(name ?? '', ancestors);
    const imported = decl?.kind === 'import' ? decl.imported : null;
    if (imported !== 'createClient' && !(decl === null && name === 'createClient')) return null;
    if (decl?.kind === 'import' && decl.from !== '@supabase/supabase-js') return null;
  } else if (name !== 'createClient' || memberPath(callee)?.length !== 2) return null;
  const fns = ancestors.filter(isFunction);
  for (const a of ancestors) {
    if (a.type === 'CallExpression' && MEMO_HOOKS.has(hookName(a) ?? '')) return { body: null };
  }
  const fn = fns.at(-1);
  if (!fn) return { body: componentScript };
  if (fns.length > 1) return { body: null }; // inside a callback or nested function: runs when that is called
  const fnName = functionName(fn, ancestors);
  if (fnName && (/^use[A-Z0-9]/.test(fnName) || /^[A-Z]/.test(fnName))) return { body: fnName };
  return { body: null };
}

function hookName(call: Node): string | null {
  const callee = unwrap(child(call, 'callee'));
  return callee?.type === 'Identifier' ? (callee.name as string) : calledMethod(call);
}

function functionName(fn: Node, ancestors: readonly Node[]): string | null {
  const id = child(fn, 'id');
  if (id?.type === 'Identifier') return id.name as string;
  const parent = ancestors[ancestors.indexOf(fn) - 1];
  if (parent?.type === 'VariableDeclarator') return keyName(child(parent, 'id'));
  return null;
}

/** Calls that give Realtime an access token (supabase-js forwards the session's token to Realtime on sign-in). */
const AUTH_METHODS = new Set([
  'setAuth', 'signInAnonymously', 'signInWithPassword', 'signInWithOtp', 'signInWithOAuth', 'signInWithIdToken',
  'signInWithSSO', 'signInWithWeb3', 'signUp', 'setSession', 'verifyOtp', 'exchangeCodeForSession',
]);

export function authSignal(call: Node): string | null {
  const m = calledMethod(call);
  if (!m || !AUTH_METHODS.has(m)) return null;
  const path = memberPath(child(unwrap(child(call, 'callee')) as Node, 'object'));
  return `${path ? `${path.join('.')}.` : ''}${m}()`;
}

/** What a channel's options say about postgres_changes. */
export function postgresChangesOf(options: Node | undefined): ChannelCall['postgresChanges'] {
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

/** `X.A.B` where X is imported (not from realtime-js) → { imported: X's exported name, path: [A, B] }. */
export function importRef(n: Node | null, ancestors: readonly Node[], evaluate: Evaluator): { imported: string; path: string[] } | null {
  const path = memberPath(n);
  if (!path || path.length < 2) return null;
  const decl = evaluate.declOf(path[0] as string, ancestors);
  if (decl?.kind !== 'import' || !decl.imported || decl.imported === '*' || decl.imported === 'default' || SDK_MODULES.has(decl.from ?? '')) return null;
  return { imported: decl.imported, path: path.slice(1) };
}
