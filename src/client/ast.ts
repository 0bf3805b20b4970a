/**
 * Small helpers over the ESTree-shaped AST that oxc-parser returns. Nodes are plain objects; these
 * helpers read them without depending on the parser's full type definitions.
 */
import type { StaticValue } from './stats.js';

export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
}

export function child(node: Node, key: string): Node | null {
  const v = node[key];
  return isNode(v) ? v : null;
}

export function children(node: Node, key: string): Node[] {
  const v = node[key];
  return Array.isArray(v) ? v.filter(isNode) : [];
}

/** Strips wrappers that do not change a value: `as const`, `satisfies T`, `x!`, parentheses. */
export function unwrap(node: Node | null): Node | null {
  let n = node;
  while (n && (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSNonNullExpression'
    || n.type === 'ParenthesizedExpression' || n.type === 'TSTypeAssertion')) {
    n = child(n, 'expression');
  }
  return n;
}

export function isFunction(n: Node | null): boolean {
  return !!n && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration');
}

/** The property name of a non-computed member access or an object key (`a.b` → "b", `{ 'x': 1 }` → "x"). */
export function keyName(n: Node | null): string | null {
  if (!n) return null;
  if (n.type === 'Identifier' || n.type === 'PrivateIdentifier') return n.name as string;
  if (n.type === 'Literal' && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value);
  return null;
}

/** For `x.method(…)` (also `x?.method(…)`), the method name; otherwise null. */
export function calledMethod(call: Node): string | null {
  const callee = unwrap(child(call, 'callee'));
  if (!callee || callee.type !== 'MemberExpression' || callee.computed) return null;
  return keyName(child(callee, 'property'));
}

export function calleeObject(call: Node): Node | null {
  const callee = unwrap(child(call, 'callee'));
  return callee && callee.type === 'MemberExpression' ? unwrap(child(callee, 'object')) : null;
}

/** The value of `{ key: value }` in an object literal, or undefined when the key is absent. */
export function property(obj: Node | null, key: string): Node | null | undefined {
  if (!obj || obj.type !== 'ObjectExpression') return undefined;
  for (const p of children(obj, 'properties')) {
    if (p.type === 'Property' && !p.computed && keyName(child(p, 'key')) === key) return unwrap(child(p, 'value'));
  }
  return undefined;
}

export function hasSpread(obj: Node): boolean {
  return children(obj, 'properties').some((p) => p.type === 'SpreadElement');
}

/** Dotted path of a member chain rooted at an identifier (`A.b.c` → ["A", "b", "c"]), else null. */
export function memberPath(n: Node | null): string[] | null {
  const node = unwrap(n);
  if (!node) return null;
  if (node.type === 'Identifier') return [node.name as string];
  if (node.type === 'MemberExpression' && !node.computed) {
    const base = memberPath(child(node, 'object'));
    const key = keyName(child(node, 'property'));
    return base && key !== null ? [...base, key] : null;
  }
  if (node.type === 'MemberExpression' && node.computed) {
    const base = memberPath(child(node, 'object'));
    const key = child(node, 'property');
    return base && key?.type === 'Literal' && typeof key.value === 'string' ? [...base, key.value] : null;
  }
  return null;
}

/** A string-valued expression as far as it can be known without running the code. */
export function staticValue(n: Node | null, source: string): StaticValue {
  const node = unwrap(n);
  if (!node) return { kind: 'dynamic', source: '' };
  if (node.type === 'Literal' && typeof node.value === 'string') return { kind: 'literal', text: node.value };
  if (node.type === 'TemplateLiteral') {
    const quasis = children(node, 'quasis').map((q) => String((q.value as { cooked?: string; raw: string }).cooked ?? (q.value as { raw: string }).raw));
    return quasis.length === 1 ? { kind: 'literal', text: quasis[0] ?? '' } : { kind: 'template', quasis };
  }
  const path = node.type === 'MemberExpression' ? memberPath(node) : null;
  if (path && path.length >= 2) return { kind: 'member', object: path[0] ?? '', property: path.slice(1).join('.') };
  return { kind: 'dynamic', source: sourceOf(node, source, 80) };
}

/** Numeric value of a constant expression (`25000`, `25 * 1000`, `30_000 - 5000`), else null. */
export function constantNumber(n: Node | null): number | null {
  const node = unwrap(n);
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
  if (node.type === 'UnaryExpression' && node.operator === '-') {
    const v = constantNumber(child(node, 'argument'));
    return v === null ? null : -v;
  }
  if (node.type === 'BinaryExpression') {
    const l = constantNumber(child(node, 'left'));
    const r = constantNumber(child(node, 'right'));
    if (l === null || r === null) return null;
    switch (node.operator) {
      case '+': return l + r;
      case '-': return l - r;
      case '*': return l * r;
      case '/': return r === 0 ? null : l / r;
      case '**': return l ** r;
      default: return null;
    }
  }
  return null;
}

/** Source text of a node with whitespace and optional-chaining noise removed: how names are compared. */
export function normalizedName(n: Node, source: string): string {
  return source.slice(n.start, n.end).replace(/\s+/g, '').replace(/\?\./g, '.').replace(/!/g, '');
}

export function sourceOf(n: Node, source: string, max: number): string {
  const text = source.slice(n.start, n.end).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Visits every node depth-first in source order, with the chain of ancestors (nearest last). Iterative,
 * so generated code with very deep expressions cannot overflow the call stack.
 */
export function walk(root: Node, visit: (node: Node, ancestors: Node[]) => void): void {
  const ancestors: Node[] = [];
  const frames: { kids: Node[]; next: number }[] = [];
  const enter = (node: Node): void => {
    visit(node, ancestors);
    ancestors.push(node);
    frames.push({ kids: childNodes(node), next: 0 });
  };
  enter(root);
  while (frames.length) {
    const top = frames[frames.length - 1] as { kids: Node[]; next: number };
    const kid = top.kids[top.next++];
    if (kid) enter(kid);
    else {
      frames.pop();
      ancestors.pop();
    }
  }
}

/**
 * TypeScript type positions hold no runtime code (no calls, no declarations a value can come from), and in
 * typed code they are a large share of the tree: the walks skip them.
 */
const TYPE_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments']);
const TYPE_ONLY = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction']);

function childNodes(node: Node): Node[] {
  const kids: Node[] = [];
  if (TYPE_ONLY.has(node.type)) return kids;
  for (const key in node) {
    if (key === 'type' || key === 'start' || key === 'end' || TYPE_KEYS.has(key)) continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const item of v) if (isNode(item)) kids.push(item);
    } else if (isNode(v)) kids.push(v);
  }
  return kids;
}
