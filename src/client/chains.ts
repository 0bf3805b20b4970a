/** Call chains (`sb.channel(n).on(…).subscribe()`) and where their result is kept. */
import { calledMethod, calleeObject, child, children, isFunction, unwrap, walk, type Node } from './ast.js';
import type { Keys } from './keys.js';

export interface ChainUse {
  node: Node;
  /** Start offsets of the functions enclosing the call, outermost first. */
  scopes: number[];
  /** The `.channel(…)` call the chain starts from, if it does. */
  channel: Node | null;
  /** Otherwise the storage key of the variable or member it starts from (see keys.ts). */
  key: string | null;
  afterSubscribeInChain: boolean;
}

/** Walks down a call chain to where it starts: a `.channel(…)` call, or a variable / member / `this.x`. */
export function chainOf(call: Node, ancestors: readonly Node[], keys: Keys): ChainUse {
  const use: ChainUse = { node: call, scopes: ancestors.filter(isFunction).map((f) => f.start), channel: null, key: null, afterSubscribeInChain: false };
  let cur = calleeObject(call);
  while (cur) {
    if (cur.type === 'CallExpression') {
      const m = calledMethod(cur);
      if (m === 'subscribe') use.afterSubscribeInChain = true;
      if (m === 'channel' && children(cur, 'arguments').length >= 1) {
        use.channel = cur;
        return use;
      }
      cur = calleeObject(cur);
    } else if (cur.type === 'Identifier' || cur.type === 'MemberExpression' || cur.type === 'ThisExpression' || cur.type === 'ChainExpression') {
      use.key = keys.of(cur, ancestors);
      return use;
    } else if (cur.type === 'AwaitExpression') {
      cur = unwrap(child(cur, 'argument'));
    } else return use;
  }
  return use;
}

/** The variable or member a channel chain is assigned to (`const ch = …`, `ref.current = …`, `this.ch = …`). */
export function bindingOf(call: Node, ancestors: readonly Node[]): { target: Node } | null {
  let top: Node = call;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (!a) break;
    const isChainLink = (a.type === 'MemberExpression' && child(a, 'object') === top)
      || (a.type === 'CallExpression' && child(a, 'callee') === top)
      || a.type === 'ChainExpression' || a.type === 'TSAsExpression' || a.type === 'TSNonNullExpression'
      || a.type === 'ParenthesizedExpression' || a.type === 'AwaitExpression' || a.type === 'TSSatisfiesExpression';
    if (isChainLink) {
      top = a;
      continue;
    }
    if (a.type === 'VariableDeclarator' && child(a, 'init') === top) {
      const id = child(a, 'id');
      return id?.type === 'Identifier' ? { target: id } : null;
    }
    if (a.type === 'AssignmentExpression' && child(a, 'right') === top) {
      const left = child(a, 'left');
      return left ? { target: left } : null;
    }
    if (a.type === 'PropertyDefinition' && child(a, 'value') === top) {
      // class Manager { channel = sb.channel('x') }: the field this.channel
      const key = child(a, 'key');
      return key ? { target: { type: 'MemberExpression', start: key.start, end: key.end, computed: false, object: { type: 'ThisExpression', start: key.start, end: key.start }, property: key } } : null;
    }
    return null;
  }
  return null;
}

/** The `.channel(…)` call a value chain starts from (`sb.channel(n).on(…).subscribe()`), if any. */
export function channelCallIn(value: Node): Node | null {
  let cur: Node | null = value;
  while (cur) {
    if (cur.type === 'AwaitExpression') { cur = unwrap(child(cur, 'argument')); continue; }
    if (cur.type !== 'CallExpression') return null;
    if (calledMethod(cur) === 'channel') return cur;
    cur = calleeObject(cur);
  }
  return null;
}

/** Does the function return this channel (directly, or a variable holding it)? */
export function returnsValue(fn: Node, channel: Node, holds: (n: Node, ancestors: Node[]) => boolean): boolean {
  let found = false;
  walk(fn, (n, anc) => {
    if (found || n.type !== 'ReturnStatement') return;
    const arg = unwrap(child(n, 'argument'));
    if (arg && (channelCallIn(arg) === channel || holds(arg, anc))) found = true;
  });
  return found;
}

/** Does the function call a function of this name (the unsubscribe a helper returned)? */
export function callsName(fn: Node, name: string): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found || n.type !== 'CallExpression') return;
    const callee = unwrap(child(n, 'callee'));
    if (callee?.type === 'Identifier' && callee.name === name) found = true;
  });
  return found;
}

export function helperName(fn: Node, source: string): string {
  const id = child(fn, 'id');
  if (id?.type === 'Identifier') return id.name as string;
  return source.slice(fn.start, Math.min(fn.end, fn.start + 30)).split('\n')[0] ?? 'helper';
}

/** Where a method call is reported: at the method name, so a finding in a long chain points at its own line. */
export function methodStart(call: Node): number {
  const callee = unwrap(child(call, 'callee'));
  const prop = callee?.type === 'MemberExpression' ? child(callee, 'property') : null;
  return prop?.start ?? call.start;
}

