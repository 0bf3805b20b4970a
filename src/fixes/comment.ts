/** Text made safe to write into SQL comment lines (no dependencies: config validation loads it at startup). */

/**
 * Characters that must never reach a SQL file verbatim inside a comment: a `--` comment ends at a line
 * feed or carriage return (PostgreSQL's scanner, scan.l: non_newline = [^\n\r]), so a name carrying one
 * would turn the rest of its text into SQL. Every other C0/C1 control character and the Unicode line and
 * paragraph separators go too: editors and terminals break lines on them, which would hide what runs.
 */
const UNSAFE_IN_COMMENT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text made inert for a `--` comment line: each unsafe character becomes a visible \uXXXX escape. */
export function commentText(text: string): string {
  return text.replace(UNSAFE_IN_COMMENT, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One `--` comment line, whatever text it carries. */
export function sqlComment(text: string): string {
  return `-- ${commentText(text)}`;
}

/** Whether a name holds a character that commentText would escape (config validation refuses those). */
export function firstControlCharacter(text: string): string | null {
  const m = text.match(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}
