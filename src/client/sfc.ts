/**
 * Single-file components: the `<script>` blocks of .vue and .svelte files and the frontmatter (and
 * `<script>` tags) of .astro files. Each block is parsed on its own, in a copy of the file where
 * everything outside the block is blanked to spaces (newlines kept), so offsets, lines and columns in
 * findings are the component's own.
 */
export interface ScriptBlock {
  /** The whole file with everything but this block blanked. */
  code: string;
  lang: 'ts' | 'tsx' | 'js' | 'jsx';
  /** Runs once per component instance (Vue `<script setup>`, Svelte's instance script, Astro frontmatter). */
  perInstance: boolean;
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

export function scriptBlocks(ext: string, text: string): ScriptBlock[] {
  const blocks: ScriptBlock[] = [];
  if (ext === '.astro') {
    // Frontmatter: between a leading `---` line and the next `---` line; it runs on the server per request.
    const m = /^\s*---[ \t]*\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (m) {
      const start = text.indexOf(m[1] as string, m.index);
      blocks.push({ code: blankOutside(text, start, start + (m[1] as string).length), lang: 'ts', perInstance: true });
    }
  }
  for (const m of text.matchAll(SCRIPT)) {
    const attrs = m[1] ?? '';
    const body = m[2] ?? '';
    if (/\bsrc\s*=/.test(attrs)) continue; // an external file: read on its own if it is under --src
    if (/\btype\s*=\s*["'](?!module|text\/javascript|application\/javascript)/i.test(attrs)) continue; // JSON, templates
    const start = (m.index ?? 0) + m[0].indexOf('>') + 1;
    const lang = /\blang\s*=\s*["']?(tsx|ts|typescript|jsx)\b/.exec(attrs)?.[1];
    const perInstance = ext === '.vue' ? /\bsetup\b/.test(attrs) : ext === '.svelte' ? !/\bcontext\s*=\s*["']module["']|\bmodule\b/.test(attrs) : false;
    // Astro's <script> tags are TypeScript unless is:inline.
    const resolved = lang === 'typescript' ? 'ts' : (lang as ScriptBlock['lang'] | undefined) ?? (ext === '.astro' && !/is:inline/.test(attrs) ? 'ts' : 'js');
    blocks.push({ code: blankOutside(text, start, start + body.length), lang: resolved, perInstance });
  }
  return blocks;
}

function blankOutside(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}
