import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { campfire, ROOT } from '../support/cli.js';

/**
 * The README's commands, as a newcomer would copy them. After the README's set-up (`npm ci` here, or
 * `npm install --save-dev` in a project) campfire is in node_modules/.bin, which is not on PATH: every
 * command must go through `npx campfire` (or an npm script). Every subcommand and flag a README command uses
 * must exist in that subcommand's --help, and the commands that need no outside input are run as printed.
 */
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Shell lines of the README: ```sh blocks, `run:`/script lines of the ```yaml blocks, and inline `…` commands. */
function readmeCommands(): string[] {
  const lines: string[] = [];
  for (const m of README.matchAll(/```(sh|yaml)\n([\s\S]*?)```/g)) {
    for (const raw of m[2]!.split('\n')) {
      const line = m[1] === 'yaml' ? /^\s*(?:- run:|run:|-)\s+(.*)$/.exec(raw)?.[1] : raw;
      if (line && !/^\s*#/.test(line)) lines.push(line.replace(/\s+#.*$/, '').trim());
    }
  }
  // Inline code that carries a flag is a command to copy; without one (`campfire doctor`) it names a command in prose.
  for (const m of README.matchAll(/`((?:npx )?campfire [^`]*\s--?[a-zA-Z][^`]*)`/g)) lines.push(m[1]!);
  return lines.filter((l) => l.length > 0);
}

/** Each simple command of a line: split at && || ; | and past leading VAR=value assignments. */
function simpleCommands(line: string): string[] {
  return line
    .split(/&&|\|\||;|\|/)
    .map((c) => c.trim().replace(/^\(/, '').replace(/^(?:[A-Z_]+=\S*\s+)+/, ''))
    .filter(Boolean);
}

const invocations = readmeCommands().flatMap(simpleCommands);

describe('README commands run as printed', () => {
  it('never asks for a bare `campfire` (not on PATH after the set-up): always npx campfire', () => {
    const bare = invocations.filter((c) => /^campfire(\s|$)/.test(c));
    expect(bare).toEqual([]);
    // The check above must see the commands at all.
    expect(invocations.filter((c) => c.startsWith('npx campfire ')).length).toBeGreaterThan(20);
  });

  it('uses only subcommands and flags that exist', async () => {
    const helps = new Map<string, string>();
    const problems: string[] = [];
    for (const c of invocations.filter((x) => x.startsWith('npx campfire '))) {
      const words = c.split(/\s+/).slice(2);
      const sub = words[0]!.startsWith('-') ? '' : words[0]!;
      if (!helps.has(sub)) {
        const r = await campfire(sub ? [sub, '--help'] : ['--help']);
        if (r.exitCode !== 0) problems.push(`${c}: "campfire ${sub}" is not a command`);
        helps.set(sub, r.stdout);
      }
      for (const flag of words.filter((w) => /^--?[a-zA-Z]/.test(w)).map((w) => w.replace(/=.*$/, ''))) {
        if (!new RegExp(`(^|[\\s,])${flag.replace(/-/g, '\\-')}([\\s,]|$)`, 'm').test(helps.get(sub)!)) problems.push(`${c}: ${flag} is not in campfire ${sub} --help`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs the commands that need no outside input, exactly as printed', async () => {
    const runnable = ['npx campfire --version', 'npx campfire doctor --src fixtures/client'];
    for (const c of runnable) expect(invocations, c).toContain(c);
    for (const c of runnable) {
      // npm scripts and npx run on Node 22 (the node devDependency): put it first on PATH, as they do.
      const r = await execa('bash', ['-c', c], { cwd: ROOT, reject: false, env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: '1' } });
      expect([0, 1], `${c}: ${r.stderr}`).toContain(r.exitCode);
      expect(r.stderr).not.toMatch(/command not found|unknown option|error:/);
    }
  });

  it('points to the realtime facts document that is in the repository, and nowhere to an outside FACTS file', () => {
    expect(README).toContain('docs/realtime-facts.md');
    const doc = readFileSync(path.join(ROOT, 'docs/realtime-facts.md'), 'utf8');
    // Each numbered section the code cites exists.
    for (const n of [1, 2, 3, 4]) expect(doc).toMatch(new RegExp(`^## ${n}\\. `, 'm'));
    expect(README).not.toMatch(/\bFACTS\b/);
    const sources = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of sources) {
      const text = readFileSync(path.join(ROOT, 'src', f), 'utf8');
      expect(text, f).not.toMatch(/\bFACTS\b/);
      for (const m of text.matchAll(/realtime-facts\.md §(\d)/g)) expect(doc, `${f} cites §${m[1]}`).toMatch(new RegExp(`^## ${m[1]}\. `, 'm'));
    }
  });

  it('shows every command campfire has', async () => {
    const help = (await campfire(['--help'])).stdout;
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toContain('probe-broadcast');
    for (const c of commands) expect(invocations.some((i) => i.startsWith(`npx campfire ${c}`)), `npx campfire ${c} in the README`).toBe(true);
  });
});
