/**
 * Lexical scopes of one file: which declaration an identifier at a given place refers to. Built in one
 * pass before the facts are extracted, so a name used before its declaration (hoisting, functions
 * declared at the bottom of a module) still resolves, and a parameter `topic` is never confused with a
 * `const topic` in another function. Anything that cannot be pinned to a declaration is unresolved —
 * the callers treat that as "unknown", never as a guess.
 */
import { child, children, isFunction, keyName, unwrap, walk, type Node } from './ast.js';

export type DeclKind = 'const' | 'let' | 'var' | 'param' | 'function' | 'class' | 'import' | 'enum' | 'catch';

export interface Decl {
  id: number;
  name: string;
  kind: DeclKind;
  /** The declarator's initialiser when the name is bound directly (`const x = init`), not destructured. */
  init: Node | null;
  /** The declaring node: VariableDeclarator, FunctionDeclaration, TSEnumDeclaration, Import…Specifier, or the pattern. */
  node: Node;
  /** The scope node the name lives in (Program, a function, a block, …). */
  scope: Node;
  /** For imports: the module specifier and the imported name ('*' for a namespace, 'default'). */
  from?: string;
  imported?: string;
  /** `const [state, setState] = useState(…)`: on the setter, the state variable's declaration. */
  stateOf?: Decl;
}

const BLOCK_SCOPES = new Set(['BlockStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'CatchClause', 'SwitchStatement', 'StaticBlock']);
const STATE_HOOKS = new Set(['useState', 'useReducer']);

export class Scopes {
  private readonly table = new Map<Node, Map<string, Decl>>();
  private nextId = 0;
  /** Names bound to a React state setter somewhere in the file: only calls of these can store into state. */
  readonly setterNames = new Set<string>();
  /** Local names of imports, by imported name (`import { createClient as mk }` → createClient → {mk}). */
  readonly importedAs = new Map<string, Set<string>>();

  /** `moduleOnly`: only the module's top-level declarations (cheap: no walk), for reading exported constants. */
  constructor(program: Node, moduleOnly = false) {
    if (!moduleOnly) {
      walk(program, (node, ancestors) => this.visit(node, ancestors));
      return;
    }
    for (const stmt of children(program, 'body')) {
      const inner = stmt.type === 'ExportNamedDeclaration' ? child(stmt, 'declaration') : stmt;
      if (inner) this.visit(inner, stmt === inner ? [program] : [program, stmt]);
    }
  }

  /** The declaration `name` refers to at a place whose ancestors (outermost first) are given. */
  resolve(name: string, ancestors: readonly Node[]): Decl | null {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const found = this.table.get(ancestors[i] as Node)?.get(name);
      if (found) return found;
    }
    return null;
  }

  private declare(scope: Node, name: string, kind: DeclKind, node: Node, init: Node | null, extra: Partial<Decl> = {}): Decl {
    let names = this.table.get(scope);
    if (!names) this.table.set(scope, (names = new Map()));
    const decl: Decl = { id: this.nextId++, name, kind, init, node, scope, ...extra };
    // A redeclared `var` or an overload keeps the first; TypeScript rejects real conflicts.
    if (!names.has(name)) names.set(name, decl);
    return names.get(name) as Decl;
  }

  private visit(node: Node, ancestors: Node[]): void {
    switch (node.type) {
      case 'VariableDeclaration': {
        const kind = node.kind === 'var' ? 'var' : node.kind === 'let' ? 'let' : 'const';
        const scope = scopeOf(ancestors, kind === 'var');
        for (const d of children(node, 'declarations')) {
          const id = child(d, 'id');
          const init = unwrap(child(d, 'init'));
          if (id?.type === 'Identifier') this.declare(scope, id.name as string, kind, d, init);
          else if (id) {
            const names = this.bindPattern(id, scope, kind, d);
            // const [value, setValue] = useState(…): the setter stores into the state variable.
            if (id.type === 'ArrayPattern' && init?.type === 'CallExpression' && isStateHook(init)) {
              const [state, setter] = children(id, 'elements').map((e) => (e.type === 'Identifier' ? names.get(e.name as string) : undefined));
              if (state && setter) {
                setter.stateOf = state;
                this.setterNames.add(setter.name);
              }
            }
          }
        }
        break;
      }
      case 'FunctionDeclaration':
      case 'ClassDeclaration': {
        const id = child(node, 'id');
        if (id?.type === 'Identifier') this.declare(scopeOf(ancestors, node.type === 'FunctionDeclaration'), id.name as string, node.type === 'FunctionDeclaration' ? 'function' : 'class', node, null);
        if (node.type === 'FunctionDeclaration') this.bindParams(node);
        break;
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        // A named function expression sees its own name.
        const id = child(node, 'id');
        if (id?.type === 'Identifier') this.declare(node, id.name as string, 'function', node, null);
        this.bindParams(node);
        break;
      }
      case 'CatchClause': {
        const param = child(node, 'param');
        if (param) this.bindPattern(param, node, 'catch', node);
        break;
      }
      case 'TSEnumDeclaration': {
        const id = child(node, 'id');
        if (id?.type === 'Identifier') this.declare(scopeOf(ancestors, false), id.name as string, 'enum', node, null);
        break;
      }
      case 'ImportDeclaration': {
        const from = String((child(node, 'source')?.value as string | undefined) ?? '');
        const program = ancestors[0] as Node;
        for (const s of children(node, 'specifiers')) {
          const local = keyName(child(s, 'local'));
          if (!local) continue;
          const imported = s.type === 'ImportNamespaceSpecifier' ? '*' : s.type === 'ImportDefaultSpecifier' ? 'default' : keyName(child(s, 'imported')) ?? local;
          this.declare(program, local, 'import', s, null, { from, imported });
          if (!this.importedAs.has(imported)) this.importedAs.set(imported, new Set());
          this.importedAs.get(imported)?.add(local);
        }
        break;
      }
    }
  }

  private bindParams(fn: Node): void {
    for (const p of children(fn, 'params')) this.bindPattern(p, fn, 'param', p);
  }

  private bindPattern(pattern: Node, scope: Node, kind: DeclKind, node: Node): Map<string, Decl> {
    const out = new Map<string, Decl>();
    const visit = (p: Node | null): void => {
      if (!p) return;
      switch (p.type) {
        case 'Identifier': out.set(p.name as string, this.declare(scope, p.name as string, kind, node, null)); break;
        case 'ObjectPattern': for (const prop of children(p, 'properties')) visit(prop.type === 'RestElement' ? child(prop, 'argument') : child(prop, 'value')); break;
        case 'ArrayPattern': for (const el of children(p, 'elements')) visit(el); break;
        case 'AssignmentPattern': visit(child(p, 'left')); break;
        case 'RestElement': visit(child(p, 'argument')); break;
        case 'TSParameterProperty': visit(child(p, 'parameter')); break;
      }
    };
    visit(pattern);
    return out;
  }
}

/** The scope a declaration belongs to: the nearest function (or the module) for `var`, else the nearest block. */
function scopeOf(ancestors: readonly Node[], functionScoped: boolean): Node {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i] as Node;
    if (isFunction(a) || a.type === 'Program') return a;
    if (functionScoped) continue;
    if (BLOCK_SCOPES.has(a.type)) {
      // A function's body block shares the function's scope (params and body names live together).
      if (a.type === 'BlockStatement' && isFunction(ancestors[i - 1] ?? null)) continue;
      return a;
    }
  }
  return ancestors[0] as Node;
}

function isStateHook(call: Node): boolean {
  const callee = unwrap(child(call, 'callee'));
  if (callee?.type === 'Identifier') return STATE_HOOKS.has(callee.name as string);
  if (callee?.type === 'MemberExpression') return STATE_HOOKS.has(keyName(child(callee, 'property')) ?? '');
  return false;
}

/**
 * What `this` means at a place: the class whose method or field holds it (arrow functions see through),
 * else the nearest ordinary function. Keys of `this.x` use it, so two classes' `this.channel` differ.
 */
export function thisOwner(ancestors: readonly Node[]): Node | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i] as Node;
    if (a.type === 'ClassBody') return ancestors[i - 1] ?? a;
    if (a.type === 'FunctionDeclaration' || (a.type === 'FunctionExpression' && ancestors[i - 1]?.type !== 'MethodDefinition')) return a;
  }
  return null;
}
