/**
 * Where a channel lives. A key names a storage place by what it resolves to, not by how it is spelled:
 * `d12` is the 12th declaration of the file, `d12.current` its `.current`, `this@340.channel` the
 * `channel` field of the class at offset 340, `d7[*]` any element of the collection held by
 * declaration 7 (a Map, an array, an object of channels). Two functions that both say `channel` get
 * different keys; `ref.current` in an effect and in its cleanup get the same one.
 */
import { calledMethod, calleeObject, child, children, isFunction, keyName, memberPath, unwrap, type Node } from './ast.js';
import type { Scopes } from './scope.js';
import { thisOwner } from './scope.js';

const ITERATORS = new Set(['forEach', 'map', 'filter', 'some', 'every', 'flatMap', 'reduce']);

export class Keys {
  constructor(private readonly scopes: Scopes) {}

  of(n: Node | null, ancestors: readonly Node[], depth = 0): string | null {
    let node = unwrap(n);
    if (node?.type === 'ChainExpression') node = unwrap(child(node, 'expression'));
    if (!node || depth > 6) return null;
    switch (node.type) {
      case 'Identifier': {
        const decl = this.scopes.resolve(node.name as string, ancestors);
        if (!decl) return `g:${node.name as string}`;
        // `const ch = ref.current` is another name for ref.current.
        const init = unwrap(decl.init);
        if (decl.kind === 'const' && init && (init.type === 'MemberExpression' || init.type === 'Identifier' || init.type === 'ThisExpression')) {
          const via = this.of(init, ancestors, depth + 1);
          if (via) return via;
        }
        return `d${decl.id}`;
      }
      case 'ThisExpression':
        return `this@${thisOwner(ancestors)?.start ?? -1}`;
      case 'MemberExpression': {
        const base = this.of(child(node, 'object'), ancestors, depth + 1);
        if (!base) return null;
        const prop = child(node, 'property');
        if (!node.computed) return `${base}.${keyName(prop) ?? '?'}`;
        return prop?.type === 'Literal' && typeof prop.value === 'string' ? `${base}.${prop.value}` : `${base}[*]`;
      }
      case 'CallExpression': {
        // map.get(id) is an element of map.
        if (calledMethod(node) === 'get') {
          const base = this.of(calleeObject(node), ancestors, depth + 1);
          return base ? `${base}[*]` : null;
        }
        return null;
      }
      default:
        return null;
    }
  }

  /**
   * The keys a removal's argument stands for. Besides its own key, a loop variable or an iterator
   * callback's parameter stands for an element of what is iterated: `for (const ch of channels)`,
   * `channels.forEach((ch) => …)`, `Object.values(map).forEach(…)`, `map.values()`.
   */
  removalKeys(arg: Node | null, ancestors: readonly Node[]): string[] {
    const keys: string[] = [];
    const own = this.of(arg, ancestors);
    if (own) keys.push(own);
    const node = unwrap(arg);
    if (node?.type !== 'Identifier') return keys;
    const decl = this.scopes.resolve(node.name as string, ancestors);
    if (!decl) return keys;
    let iterated: Node | null = null;
    if (decl.kind === 'param' && isFunction(decl.scope)) {
      const call = ancestors.find((a) => a.type === 'CallExpression' && children(a, 'arguments').includes(decl.scope));
      if (call && ITERATORS.has(calledMethod(call) ?? '')) iterated = calleeObject(call);
    } else if (decl.scope.type === 'ForOfStatement' || decl.scope.type === 'ForInStatement') {
      iterated = child(decl.scope, 'right');
    }
    const collection = this.collectionOf(iterated, ancestors);
    if (collection) keys.push(`${collection}[*]`);
    return keys;
  }

  /** `X`, `Object.values(X)`, `X.values()`, `Array.from(X.values())`, `[...X]` → the key of X. */
  private collectionOf(n: Node | null, ancestors: readonly Node[]): string | null {
    const node = unwrap(n);
    if (!node) return null;
    if (node.type === 'CallExpression') {
      const path = memberPath(child(node, 'callee'))?.join('.');
      const args = children(node, 'arguments');
      if (path === 'Object.values' || path === 'Object.entries' || path === 'Array.from') return this.collectionOf(args[0] ?? null, ancestors);
      if (['values', 'entries', 'keys'].includes(calledMethod(node) ?? '')) return this.of(calleeObject(node), ancestors);
      return null;
    }
    if (node.type === 'ArrayExpression') {
      const spread = children(node, 'elements').find((e) => e.type === 'SpreadElement');
      return spread ? this.collectionOf(child(spread, 'argument'), ancestors) : null;
    }
    return this.of(node, ancestors);
  }

  /**
   * Where a value is stored by an assignment or call, as keys: `a.b = v`, `map.set(k, v)`, `list.push(v)`,
   * `setChannel(v)` (a React state setter stores into its state variable, and its elements).
   */
  storeTargets(node: Node, ancestors: readonly Node[]): { value: Node; to: string[]; text: string }[] {
    if (node.type === 'AssignmentExpression') {
      const right = unwrap(child(node, 'right'));
      const left = child(node, 'left');
      const to = this.of(left, ancestors);
      return right && to && left ? [{ value: right, to: [to], text: spelled(left) }] : [];
    }
    if (node.type !== 'CallExpression') return [];
    const args = children(node, 'arguments');
    const method = calledMethod(node);
    if (method === 'set' && args.length >= 2) {
      const obj = calleeObject(node);
      const base = this.of(obj, ancestors);
      return base && obj ? [{ value: args[1] as Node, to: [`${base}[*]`], text: `${spelled(obj)} (Map)` }] : [];
    }
    if ((method === 'push' || method === 'add' || method === 'unshift') && args.length >= 1) {
      const obj = calleeObject(node);
      const base = this.of(obj, ancestors);
      return base && obj ? args.map((a) => ({ value: a, to: [`${base}[*]`], text: `${spelled(obj)} (collection)` })) : [];
    }
    const callee = unwrap(child(node, 'callee'));
    if (callee?.type === 'Identifier' && args.length >= 1 && this.scopes.setterNames.has(callee.name as string)) {
      const state = this.scopes.resolve(callee.name as string, ancestors)?.stateOf;
      if (state) return [{ value: args[0] as Node, to: [`d${state.id}`, `d${state.id}[*]`], text: `${state.name} (state, via ${callee.name as string})` }];
    }
    return [];
  }
}

/** How the source names a place, for messages: `this.channel`, `channelRef.current`, `channels[…]`. */
function spelled(n: Node): string {
  const node = unwrap(n);
  if (!node) return '(expression)';
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'MemberExpression') {
    const base = spelled(child(node, 'object') as Node);
    return node.computed ? `${base}[…]` : `${base}.${keyName(child(node, 'property')) ?? '?'}`;
  }
  return '(expression)';
}
