import { CHECKS } from '../checks/registry.js';
import { SECTIONS } from '../checks/types.js';
import type { Io } from '../io.js';

export interface ChecksOptions {
  json?: boolean;
  markdown?: boolean;
}

/** Lists every check from its metadata: the README's check reference is this command's --markdown. */
export function listChecks(opts: ChecksOptions, io: Io): number {
  if (opts.json) {
    const checks = CHECKS.map(({ id, section, title, verifies, guideRef, fix, input }) => ({ id, section, title, verifies, guideRef, fix, input }));
    io.out(`${JSON.stringify({ sections: SECTIONS, checks }, null, 2)}\n`);
  } else if (opts.markdown) {
    io.out(checksMarkdown());
  } else {
    const c = io.chalk;
    // One write, not one per line: each write to a pipe is a system call (and a redact() pass).
    const lines: string[] = [];
    for (const [section, title] of Object.entries(SECTIONS)) {
      const checks = CHECKS.filter((k) => k.section === section);
      if (!checks.length) continue;
      lines.push(`\n${c.bold(title)} ${c.dim(`(${section})`)}\n`);
      for (const k of checks) {
        lines.push(`  ${c.bold(k.id)}  ${k.verifies}\n`);
        lines.push(c.dim(`      input: ${k.input}; fix: ${k.fix ?? 'needs a decision (see the finding)'}; guide: ${k.guideRef}\n`));
      }
    }
    io.out(lines.join(''));
  }
  return 0;
}

export function checksMarkdown(): string {
  const rows = CHECKS.map(
    (k) => `| \`${k.id}\` | ${SECTIONS[k.section]} | ${k.input} | ${k.verifies.replace(/\|/g, '\\|')} | ${k.fix ? `\`${k.fix}\`` : '—'} |`,
  );
  return ['| id | section | input | passes when | fix |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}
