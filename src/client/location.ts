import type { SourceLocation } from './stats.js';

const MAX_EXCERPT = 160;

/** Maps UTF-16 offsets (what the parser's JS AST reports) to 1-based line and column, and cuts excerpts. */
export class LineIndex {
  private startsCache: number[] | null = null;

  constructor(private readonly file: string, private readonly text: string) {}

  /** Line starts, computed on first use: most files of an app never need a location. */
  private get starts(): number[] {
    if (!this.startsCache) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.startsCache = starts;
    }
    return this.startsCache;
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
