/**
 * Static values: a string (or an object of strings) an expression is known to hold without running the
 * code. Literals, templates whose holes are themselves known, `const` identifiers (found by lexical
 * scope), members of `const` objects and TypeScript enums, and realtime-js's exported constants through
 * any import name. Everything else is unknown (null).
 */
import { child, children, keyName, memberPath, unwrap, type Node } from './ast.js';
import type { Decl, Scopes } from './scope.js';

/**
 * realtime-js's exported enums (packages/core/realtime-js/src/RealtimeChannel.ts in supabase/supabase-js),
 * re-exported by @supabase/supabase-js. Copied as data: the string each member stands for.
 */
export const SDK_CONSTANTS: Record<string, Record<string, string>> = {
  REALTIME_LISTEN_TYPES: { BROADCAST: 'broadcast', PRESENCE: 'presence', POSTGRES_CHANGES: 'postgres_changes', SYSTEM: 'system' },
  REALTIME_POSTGRES_CHANGES_LISTEN_EVENT: { ALL: '*', INSERT: 'INSERT', UPDATE: 'UPDATE', DELETE: 'DELETE' },
  REALTIME_SUBSCRIBE_STATES: { SUBSCRIBED: 'SUBSCRIBED', TIMED_OUT: 'TIMED_OUT', CLOSED: 'CLOSED', CHANNEL_ERROR: 'CHANNEL_ERROR' },
  REALTIME_PRESENCE_LISTEN_EVENTS: { SYNC: 'sync', JOIN: 'join', LEAVE: 'leave' },
};
export const SDK_MODULES = new Set(['@supabase/supabase-js', '@supabase/realtime-js']);

/** A known value: a string, or an object whose keys map to known values. */
export type Known = string | { [key: string]: Known };

const MAX_DEPTH = 8;

export class Evaluator {
  constructor(private readonly scopes: Scopes, private readonly program: Node) {}

  /** The declaration an identifier refers to at a place. */
  declOf(name: string, ancestors: readonly Node[]): Decl | null {
    return this.scopes.resolve(name, ancestors);
  }

  /** The string an expression holds, or null when it cannot be known. */
  string(node: Node | null, ancestors: readonly Node[]): string | null {
    const v = this.value(node, ancestors, 0);
    return typeof v === 'string' ? v : null;
  }

  value(n: Node | null, ancestors: readonly Node[], depth: number): Known | null {
    const node = unwrap(n);
    if (!node || depth > MAX_DEPTH) return null;
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'string' ? node.value : null;
      case 'TemplateLiteral': {
        const quasis = children(node, 'quasis').map(cooked);
        const holes = children(node, 'expressions');
        let text = quasis[0] ?? '';
        for (let i = 0; i < holes.length; i++) {
          const hole = this.value(holes[i] ?? null, ancestors, depth + 1);
          if (typeof hole !== 'string') return null;
          text += hole + (quasis[i + 1] ?? '');
        }
        return text;
      }
      case 'BinaryExpression': {
        if (node.operator !== '+') return null;
        const l = this.value(child(node, 'left'), ancestors, depth + 1);
        const r = this.value(child(node, 'right'), ancestors, depth + 1);
        return typeof l === 'string' && typeof r === 'string' ? l + r : null;
      }
      case 'Identifier':
        return this.ofDecl(this.scopes.resolve(node.name as string, ancestors), depth);
      case 'MemberExpression': {
        const obj = this.value(child(node, 'object'), ancestors, depth + 1);
        if (!obj || typeof obj === 'string') return null;
        const key = node.computed ? this.value(child(node, 'property'), ancestors, depth + 1) : keyName(child(node, 'property'));
        return typeof key === 'string' && Object.hasOwn(obj, key) ? (obj[key] as Known) : null;
      }
      case 'ObjectExpression': {
        const out: Record<string, Known> = {};
        for (const p of children(node, 'properties')) {
          if (p.type !== 'Property' || p.computed) continue;
          const key = keyName(child(p, 'key'));
          const v = this.value(child(p, 'value'), ancestors, depth + 1);
          if (key !== null && v !== null) out[key] = v;
        }
        return out;
      }
      case 'CallExpression': {
        // Object.freeze({ … }) is the object.
        const path = memberPath(child(node, 'callee'));
        if (path?.join('.') === 'Object.freeze') return this.value(children(node, 'arguments')[0] ?? null, ancestors, depth + 1);
        return null;
      }
      default:
        return null;
    }
  }

  /** Only `const` bindings (and enums, imports of SDK constants) have a value; `let`, `var`, parameters do not. */
  private ofDecl(decl: Decl | null, depth: number): Known | null {
    if (!decl) return null;
    if (decl.kind === 'const' && decl.init) return this.value(decl.init, this.declAncestors(decl), depth + 1);
    if (decl.kind === 'enum') return enumValue(decl.node);
    if (decl.kind === 'import' && decl.from && SDK_MODULES.has(decl.from)) {
      if (decl.imported === '*') return SDK_CONSTANTS as unknown as Known;
      return SDK_CONSTANTS[decl.imported ?? ''] ?? null;
    }
    return null;
  }

  /**
   * An initialiser is evaluated in the scope it was written in. Its full ancestor chain is not kept, so
   * the module and the declaring scope stand for it: names declared in between stay unknown, never guessed.
   */
  declAncestors(decl: Decl): Node[] {
    return decl.scope === this.program ? [this.program] : [this.program, decl.scope];
  }
}

function enumValue(node: Node): Known | null {
  const out: Record<string, Known> = {};
  const members = children(child(node, 'body') ?? node, 'members');
  for (const m of members) {
    const key = keyName(child(m, 'id'));
    const init = unwrap(child(m, 'initializer'));
    if (key !== null && init?.type === 'Literal' && typeof init.value === 'string') out[key] = init.value;
  }
  return out;
}

function cooked(q: Node): string {
  const v = q.value as { cooked?: string | null; raw: string };
  return v.cooked ?? v.raw;
}
