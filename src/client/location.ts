import type { SourceLocation } from './stats.js';

const MAX_EXCERPT = 160;

/** Maps UTF-16 offsets (what the parser's JS AST reports) to 1-based line and column, and cuts excerpts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly file: string, private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  at(offset: number): SourceLocation {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo] ?? 0;
    const next = this.starts[lo + 1];
    const lineText = this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '').trim();
    const excerpt = lineText.length > MAX_EXCERPT ? `${lineText.slice(0, MAX_EXCERPT - 1)}…` : lineText;
    return { file: this.file, line: lo + 1, column: offset - start + 1, excerpt };
  }
}
