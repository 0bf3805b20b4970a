import { calledMethod, calleeObject, child, children, isFunction, normalizedName, unwrap, walk, type Node } from './ast.js';
import type { LineIndex } from './location.js';
import type { EffectCleanup } from './stats.js';

const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect']);

/** `useEffect(…)` or `React.useEffect(…)` (and the layout variant). */
export function isEffectCall(call: Node): boolean {
  const callee = unwrap(child(call, 'callee'));
  if (!callee) return false;
  if (callee.type === 'Identifier') return EFFECT_HOOKS.has(callee.name as string);
  return EFFECT_HOOKS.has(calledMethod(call) ?? '');
}

/**
 * The cleanup an effect callback returns — `return () => …`, `return cleanup` naming a local function,
 * or an arrow whose body is the cleanup — and what it unsubscribes and removes.
 */
export function effectCleanup(effect: Node, source: string, lines: LineIndex): EffectCleanup | null {
  const body = child(effect, 'body');
  if (!body) return null;
  let returned: Node | null = null;
  if (body.type !== 'BlockStatement') returned = unwrap(body);
  else returned = findReturn(body);
  if (returned?.type === 'Identifier') returned = localFunction(body, returned.name as string);
  if (!returned || !isFunction(returned)) return null;

  const cleanup: EffectCleanup = { at: lines.at(returned.start), unsubscribed: [], removed: [], removesAll: false };
  walk(returned, (node) => {
    if (node.type !== 'CallExpression') return;
    const method = calledMethod(node);
    if (method === 'unsubscribe') {
      const target = calleeObject(node);
      if (target) cleanup.unsubscribed.push(normalizedName(target, source));
    } else if (method === 'removeChannel') {
      const arg = unwrap(children(node, 'arguments')[0] ?? null);
      if (arg) cleanup.removed.push(normalizedName(arg, source));
    } else if (method === 'removeAllChannels') cleanup.removesAll = true;
  });
  return cleanup;
}

/** The argument of the effect's own `return` (not one inside a nested function). */
function findReturn(block: Node): Node | null {
  let found: Node | null = null;
  const visit = (node: Node): void => {
    if (found || isFunction(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
    if (node.type === 'ReturnStatement') {
      const arg = unwrap(child(node, 'argument'));
      if (arg) found = arg;
      return;
    }
    for (const key in node) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((item) => item && typeof item === 'object' && 'type' in item && visit(item as Node));
      else if (v && typeof v === 'object' && 'type' in v) visit(v as Node);
    }
  };
  for (const stmt of children(block, 'body')) visit(stmt);
  return found;
}

/** `function cleanup() {…}` or `const cleanup = () => …` declared directly in the effect body. */
function localFunction(block: Node, name: string): Node | null {
  for (const stmt of children(block, 'body')) {
    if (stmt.type === 'FunctionDeclaration' && (child(stmt, 'id')?.name as string | undefined) === name) return stmt;
    if (stmt.type === 'VariableDeclaration') {
      for (const d of children(stmt, 'declarations')) {
        if ((child(d, 'id')?.name as string | undefined) === name) return unwrap(child(d, 'init'));
      }
    }
  }
  return null;
}
