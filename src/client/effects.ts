import { calledMethod, child, children, isFunction, unwrap, type Node } from './ast.js';

/**
 * Hooks whose callback runs after mount and whose returned function is the cleanup: React's
 * useEffect/useLayoutEffect, Svelte's onMount and $effect. Vue's onMounted ignores what it returns: a
 * channel it creates must be removed elsewhere (onUnmounted / onBeforeUnmount), through where it is kept.
 */
const RETURNS_CLEANUP = new Set(['useEffect', 'useLayoutEffect', 'onMount', '$effect']);
const MOUNT_ONLY = new Set(['onMounted']);

/** The hook name of `useEffect(…)`, `React.useEffect(…)`, `onMount(…)`, `$effect(…)`, `onMounted(…)`; else null. */
export function effectHook(call: Node): string | null {
  const callee = unwrap(child(call, 'callee'));
  if (!callee) return null;
  const name = callee.type === 'Identifier' ? (callee.name as string) : calledMethod(call);
  return name && (RETURNS_CLEANUP.has(name) || MOUNT_ONLY.has(name)) ? name : null;
}

export function returnsCleanup(hook: string): boolean {
  return RETURNS_CLEANUP.has(hook);
}

/**
 * What an effect callback returns as its cleanup: a function (`return () => …`, an arrow whose body is
 * the cleanup, `return cleanup` naming a local function), or an identifier naming something else (e.g.
 * the unsubscribe function a helper returned) — null when it returns nothing.
 */
export function effectCleanup(effect: Node): { fn: Node | null; returned: Node | null } | null {
  const body = child(effect, 'body');
  if (!body) return null;
  let returned: Node | null = null;
  if (body.type !== 'BlockStatement') returned = unwrap(body);
  else returned = findReturn(body);
  if (!returned) return null;
  if (isFunction(returned)) return { fn: returned, returned };
  if (returned.type === 'Identifier') {
    const local = localFunction(body, returned.name as string);
    if (local && isFunction(local)) return { fn: local, returned };
    return { fn: null, returned };
  }
  return null;
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
