import { calledMethod, child, children, constantNumber, isFunction, memberPath, unwrap, walk, type Node } from './ast.js';
import type { TimingKey, TimingValue } from './stats.js';

export const TIMING_KEYS = new Set<TimingKey>(['heartbeatIntervalMs', 'reconnectAfterMs', 'rejoinAfterMs', 'eventsPerSecond']);

/**
 * A heartbeat interval is a number; a back-off is a function of the attempt number. A back-off is
 * bounded when it is clamped by `Math.min(…, CONSTANT)` or does not depend on its argument at all.
 */
export function timingValue(n: Node | null): TimingValue {
  const node = unwrap(n);
  const ms = constantNumber(node);
  if (ms !== null) return { kind: 'number', ms };
  if (!node || !isFunction(node)) return { kind: 'dynamic' };

  const params = new Set(children(node, 'params').flatMap((p) => (p.type === 'Identifier' ? [p.name as string] : [])));
  let bound: number | null = null;
  let grows = false;
  let usesArgument = false;
  const body = child(node, 'body');
  if (body) {
    const direct = constantNumber(body);
    if (direct !== null) bound = direct;
    walk(body, (inner) => {
      if (inner.type === 'Identifier' && params.has(inner.name as string)) usesArgument = true;
      if (scalesWith(inner, params)) grows = true;
      if (inner.type === 'CallExpression' && calledMethod(inner) === 'min' && memberPath(child(inner, 'callee'))?.[0] === 'Math') {
        for (const arg of children(inner, 'arguments')) {
          const v = constantNumber(arg);
          if (v !== null) bound = bound === null ? v : Math.min(bound, v);
        }
      }
    });
  }
  if (bound === null && usesArgument && !grows) return { kind: 'dynamic' }; // e.g. tries => backoff(tries): cannot tell
  return { kind: 'function', bound, grows };
}

const GROWING_OPERATORS = new Set(['*', '**', '+', '<<']);

/** `tries * 1000`, `2 ** tries`, `Math.pow(2, tries)`: arithmetic that grows with the attempt number. */
function scalesWith(node: Node, params: Set<string>): boolean {
  const isParam = (n: Node | null) => n?.type === 'Identifier' && params.has(n.name as string);
  if (node.type === 'BinaryExpression' && GROWING_OPERATORS.has(node.operator as string)) {
    return isParam(unwrap(child(node, 'left'))) || isParam(unwrap(child(node, 'right')));
  }
  if (node.type === 'CallExpression' && ['pow', 'exp'].includes(calledMethod(node) ?? '')) {
    return children(node, 'arguments').some((a) => isParam(unwrap(a)));
  }
  return false;
}
