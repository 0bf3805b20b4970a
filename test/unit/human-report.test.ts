import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { renderHuman } from '../../src/report/human.js';
import { buildReport } from '../../src/report/model.js';
import { runFlags } from '../../src/report/run-flags.js';
import { seededRandom } from '../support/random.js';

const chalk = new Chalk({ level: 0 });
const check = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id, section: 'permissions', title: 't', status, summary: `${id} summary`, findings: [], fix: null, durationMs: 1, ...extra,
});
const LOGS = 'no server log given (--log FILE)';
const SRC = 'no app source given (--src DIR)';

describe('the human report at 3 a.m.', () => {
  const checks = [
    check('logs.a', 'skip', { summary: LOGS, section: 'binding-mismatch' }),
    check('permissions.grants', 'fail', { fix: 'campfire fix-permissions', advice: 'grants are missing' }),
    check('logs.b', 'skip', { summary: LOGS }),
    check('client.a', 'skip', { summary: SRC }),
    check('publication.tables', 'fail', { section: 'binding-mismatch', fix: 'campfire fix-publication' }),
    check('logs.c', 'skip', { summary: LOGS, section: 'beyond' }),
    check('realtime.bindings', 'skip', { summary: 'no --bindings file given' }),
  ];
  const report = buildReport(checks, { database: 'postgres://postgres@db.example.com:5432/postgres' });
  const next = runFlags({ dbUrl: 'postgres://postgres:s3cret-pw@db.example.com:5432/postgres', log: ['/var/log/app.log'], src: './src' });

  it('groups skipped checks by the missing input, one line each, after the failures', () => {
    const out = renderHuman(report, { chalk, next });
    expect(out).toContain('– 3 checks need --log FILE (no server log given): logs.a, logs.b, logs.c');
    expect(out).toContain('– 1 check needs --src DIR (no app source given): client.a');
    expect(out).toContain('– 1 check: no --bindings file given: realtime.bindings');
    // No skip interleaved with the failures: every skipped id appears once, in the Skipped block.
    const skippedBlock = out.indexOf('Skipped (not judged in this run)');
    for (const id of ['logs.a', 'logs.b', 'client.a']) expect(out.indexOf(id)).toBeGreaterThan(skippedBlock);
    expect(out.indexOf('publication.tables')).toBeLessThan(skippedBlock);
  });

  it('ends with what to do next: the fixes in guide order, dry run then apply, then doctor with the same flags, and no password', () => {
    const out = renderHuman(report, { chalk, next });
    const tail = out.slice(out.indexOf('What to do next'));
    expect(tail.split('\n').filter((l) => /^\s+\d\. /.test(l))).toEqual([
      '  1. npx campfire fix-publication --db-url postgres://postgres@db.example.com:5432/postgres',
      '  2. npx campfire fix-permissions --db-url postgres://postgres@db.example.com:5432/postgres',
      '  3. npx campfire fix-publication --db-url postgres://postgres@db.example.com:5432/postgres --apply',
      '  4. npx campfire fix-permissions --db-url postgres://postgres@db.example.com:5432/postgres --apply',
      '  5. npx campfire doctor --db-url postgres://postgres@db.example.com:5432/postgres --log /var/log/app.log --src ./src',
    ]);
    expect(tail).toMatch(/PGPASSWORD/);
    expect(out).not.toContain('s3cret-pw');
    // The per-check "Fix:" line is runnable as printed too.
    expect(out).toContain('Fix: npx campfire fix-permissions --db-url postgres://postgres@db.example.com:5432/postgres');
  });

  it('says nothing about next steps when everything passes', () => {
    const green = buildReport([check('permissions.grants', 'pass')], { database: 'postgres://u@h/db' });
    expect(renderHuman(green, { chalk, next })).not.toContain('What to do next');
  });

  it('quotes what the shell would split, and reads the anon key from the environment', () => {
    const flags = runFlags({ dbUrl: 'postgres://u:pw@h/db', src: './my app', anonKey: 'eyJ-secret', supabaseUrl: 'https://p.supabase.co', org: 'o1', conv: 'c1' });
    const out = renderHuman(report, { chalk, next: flags });
    expect(out).toContain(`--src './my app'`);
    expect(out).toContain('--anon-key "$SUPABASE_ANON_KEY" --org-id o1 --conv c1');
    expect(out).not.toContain('eyJ-secret');
  });

  it('--quiet keeps the header naming the database checked', () => {
    const out = renderHuman(report, { chalk, quiet: true });
    expect(out.split('\n')[0]).toBe('campfire doctor — postgres://postgres@db.example.com:5432/postgres');
  });

  it('wraps explanations to the width it is given (the terminal, 80 when not a terminal), for any text', () => {
    const rand = seededRandom(15);
    const words = ['realtime', 'publication', 'a', 'supabase_realtime_messages_publication', 'of', 'policies', 'WITH CHECK (true)', 'x'];
    for (let i = 0; i < 200; i++) {
      const advice = Array.from({ length: 5 + Math.floor(rand() * 80) }, () => words[Math.floor(rand() * words.length)]).join(' ');
      const width = 60 + Math.floor(rand() * 80);
      const r = buildReport([check('permissions.grants', 'fail', { advice })], {});
      const lines = renderHuman(r, { chalk, width }).split('\n').filter((l) => l.startsWith('      ') && !l.includes('Fix:'));
      for (const l of lines) expect(l.length, `width ${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines.map((l) => l.trim()).join(' ')).toBe(`Why: ${advice}`);
    }
  });
});

describe('what to do next without a campfire fix', () => {
  it('says the findings are for a person to change, then doctor again with the same flags', () => {
    const report = buildReport([check('client.cleanup', 'fail', { section: 'connection' })], { source: 'src' });
    const out = renderHuman(report, { chalk, next: runFlags({ src: './src' }) });
    expect(out).toContain('No campfire command fixes these');
    expect(out).toContain('  1. npx campfire doctor --src ./src');
  });
});

describe('durations are printed the way people write them', () => {
  it('formatDuration: 2m, 5s, 1.5s, 250ms, and back through parseDuration to the same value', async () => {
    const { formatDuration, parseDuration } = await import('../../src/duration.js');
    expect([120_000, 5000, 1500, 250, 90_000, 1].map(formatDuration)).toEqual(['2m', '5s', '1.5s', '250ms', '90s', '1ms']);
    const rand = seededRandom(2);
    for (let i = 0; i < 500; i++) {
      const ms = 1 + Math.floor(rand() * 3_600_000);
      expect(parseDuration(formatDuration(ms), '--x')).toBe(ms);
    }
  });
});

describe('a fix that is not an apply command', () => {
  it('is printed as given (through npx), without the connection flags or --apply it does not take', () => {
    const report = buildReport(
      [check('policies.realtime-messages', 'fail', { fix: 'campfire private-channels --claim CLAIM' }), check('permissions.grants', 'fail', { fix: 'campfire fix-permissions' })],
      { database: 'postgres://u@h/db' },
    );
    const out = renderHuman(report, { chalk, next: runFlags({ dbUrl: 'postgres://u@h/db' }) });
    expect(out).toContain('Fix: npx campfire private-channels --claim CLAIM\n');
    const steps = out.slice(out.indexOf('What to do next')).split('\n').filter((l) => /^\s+\d\. /.test(l));
    expect(steps).toEqual([
      '  1. npx campfire private-channels --claim CLAIM',
      '  2. npx campfire fix-permissions --db-url postgres://u@h/db',
      '  3. npx campfire fix-permissions --db-url postgres://u@h/db --apply',
      '  4. npx campfire doctor --db-url postgres://u@h/db',
    ]);
  });
});

describe('the width the report wraps at', () => {
  it("is the terminal's columns, and 80 off a terminal or on one too narrow to trust", async () => {
    const { reportWidth } = await import('../../src/report/human.js');
    expect(reportWidth({ isTTY: true, columns: 132 })).toBe(132);
    expect(reportWidth({ isTTY: true, columns: 80 })).toBe(80);
    expect(reportWidth({ isTTY: false, columns: 200 })).toBe(80);
    expect(reportWidth({ isTTY: true, columns: 0 })).toBe(80);
    expect(reportWidth({})).toBe(80);
  });
});
