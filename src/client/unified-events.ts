import { child, children, keyName, unwrap, calledMethod, type Node } from './ast.js';

/**
 * The event names of `UNIFIED_EVENTS = { KEY: 'event:name', … }` (nested objects flatten to
 * `GROUP.KEY`) or `UNIFIED_EVENTS = ['event:name', …]`; `Object.freeze(…)` and `as const` are seen
 * through. Null when the value is not a literal list of names.
 */
export function unifiedEventEntries(init: Node): Record<string, string> | null {
  let value = unwrap(init);
  if (value?.type === 'CallExpression' && calledMethod(value) === 'freeze') value = unwrap(children(value, 'arguments')[0] ?? null);
  if (!value) return null;
  const entries: Record<string, string> = {};
  if (value.type === 'ArrayExpression') {
    children(value, 'elements').forEach((el, i) => {
      const v = unwrap(el);
      if (v?.type === 'Literal' && typeof v.value === 'string') entries[String(i)] = v.value;
    });
  } else if (value.type === 'ObjectExpression') collect(value, '', entries);
  else return null;
  return Object.keys(entries).length ? entries : null;
}

function collect(obj: Node, prefix: string, into: Record<string, string>): void {
  for (const p of children(obj, 'properties')) {
    if (p.type !== 'Property' || p.computed) continue;
    const key = keyName(child(p, 'key'));
    let v = unwrap(child(p, 'value'));
    if (v?.type === 'CallExpression' && calledMethod(v) === 'freeze') v = unwrap(children(v, 'arguments')[0] ?? null);
    if (key === null || !v) continue;
    if (v.type === 'Literal' && typeof v.value === 'string') into[prefix + key] = v.value;
    else if (v.type === 'TemplateLiteral' && children(v, 'expressions').length === 0) {
      const q = children(v, 'quasis')[0];
      into[prefix + key] = String((q?.value as { cooked?: string } | undefined)?.cooked ?? '');
    } else if (v.type === 'ObjectExpression') collect(v, `${prefix}${key}.`, into);
  }
}
