/**
 * Splits a migration file into statements, the way the Supabase CLI does before it sends them one by one
 * (supabase/cli pkg/parser: split on ';' outside quotes, comments and dollar-quoted bodies). Each
 * statement keeps its offset in the file, so a Postgres error position maps back to FILE:LINE:COL.
 */
export interface Statement {
  /** The statement text, without the terminating ';'. */
  sql: string;
  /** Offset of sql[0] in the file (UTF-16 code units). */
  offset: number;
}

export function splitStatements(text: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  // BEGIN ATOMIC … END (SQL-standard function bodies) contain ';' that do not end the statement.
  let atomicDepth = 0;
  const n = text.length;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const sql = raw.trim();
    if (sql && !isOnlyComments(sql)) out.push({ sql, offset: start + lead });
  };
  while (i < n) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(text, i);
    } else if (ch === "'") {
      // E'…' strings take backslash escapes; standard strings only ''.
      const escaped = /[eE]/.test(text[i - 1] ?? '') && !/[\w$]/.test(text[i - 2] ?? '');
      i = skipQuoted(text, i, "'", escaped);
    } else if (ch === '"') {
      i = skipQuoted(text, i, '"', false);
    } else if (ch === '$' && !/[\w$]/.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z_]/.test(ch) && !/[\w$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_][\w$]*/.exec(text.slice(i, i + 64))![0].toLowerCase();
      if (word === 'atomic' && /\bbegin\s+$/i.test(text.slice(Math.max(start, i - 20), i))) atomicDepth = 1;
      else if (atomicDepth > 0 && (word === 'case' || word === 'begin')) atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      i += word.length;
    } else if (ch === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(n);
  return out;
}

function skipBlockComment(text: string, i: number): number {
  // Postgres block comments nest.
  let depth = 0;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

function skipQuoted(text: string, i: number, q: string, backslash: boolean): number {
  i++;
  while (i < text.length) {
    if (backslash && text[i] === '\\') i += 2;
    else if (text[i] === q && text[i + 1] === q) i += 2;
    else if (text[i] === q) return i + 1;
    else i++;
  }
  return i;
}

function isOnlyComments(sql: string): boolean {
  return splitless(sql).trim() === '';
}

/** The text with comments removed (only used to tell an all-comment tail from a statement). */
function splitless(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    if (sql[i] === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql[i] === '/' && sql[i + 1] === '*') i = skipBlockComment(sql, i);
    else out += sql[i++];
  }
  return out;
}

/** 1-based line and column of an offset in text. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
