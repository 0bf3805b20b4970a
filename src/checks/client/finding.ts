import type { SourceLocation, StaticValue } from '../../client/stats.js';
import type { ClientStats } from '../../client/stats.js';
import type { Finding } from '../types.js';

/** A finding about code: `file:line:col` as its object, the location kept whole for SARIF. */
export function codeFinding(at: SourceLocation, detail: string, severity: 'fail' | 'warn' = 'fail'): Finding {
  const excerpt = at.excerpt ? ` — \`${at.excerpt}\`` : '';
  return { object: `${at.file}:${at.line}:${at.column}`, detail: `${detail}${excerpt}`, location: at, severity };
}

/** A value as the user wrote it, for messages. */
export function shown(value: StaticValue): string {
  switch (value.kind) {
    case 'literal': return `'${value.text}'`;
    case 'template': return `\`${value.quasis.join('${…}')}\``;
    case 'member': return `${value.object}.${value.property}`;
    case 'dynamic': return value.source || '(expression)';
  }
}

/** Appended to a summary when some files could not be read, so a pass never hides unchecked code. */
export function unparsedNote(stats: ClientStats): string {
  const n = stats.unparsed.length;
  return n ? `; ${n} file${n === 1 ? '' : 's'} could not be parsed and ${n === 1 ? 'was' : 'were'} not checked (see client.parse)` : '';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
