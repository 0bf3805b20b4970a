import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { campfire } from '../support/cli.js';
import { tempDir } from '../support/fix.js';

/**
 * Drill: inputs that lie and text campfire relays. A log that could not be read completely must not give a
 * green gate in any output format; credentials and terminal escapes in log lines must reach no output.
 */
const HEALTHY = Array.from({ length: 4000 }, (_, i) =>
  `2026-11-25T23:${String(10 + (i % 40)).padStart(2, '0')}:00Z [Realtime] ✅ Broadcast successful: org:o1:conv:c${i % 7} -> message:created\n` +
  `2026-11-25T23:${String(10 + (i % 40)).padStart(2, '0')}:00Z [Realtime] Broadcast result in ${5 + (i % 20)}ms\n`).join('');

function broken(kind: 'truncated' | 'corrupt'): Buffer {
  const gz = gzipSync(Buffer.from(HEALTHY));
  if (kind === 'truncated') return gz.subarray(0, Math.floor(gz.length / 2));
  const bad = Buffer.from(gz);
  for (let i = Math.floor(bad.length / 2); i < Math.floor(bad.length / 2) + 64; i++) bad[i] = bad[i]! ^ 0x5a;
  return bad;
}

describe('drill: a log that could not be read completely never gives a green gate', () => {
  it('the complete log passes (control)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'ok.log.gz'), gzipSync(Buffer.from(HEALTHY)));
    const r = await campfire(['doctor', '--log', 'ok.log.gz', '--json'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(Object.fromEntries(doc.checks.filter((c) => c.id.startsWith('logs.')).map((c) => [c.id, c.status])))
      .toEqual({ 'logs.binding-mismatch': 'pass', 'logs.broadcast-success': 'pass', 'logs.broadcast-latency': 'pass' });
    expect(r.exitCode).toBe(0);
  });

  for (const kind of ['truncated', 'corrupt'] as const) {
    it(`${kind} .gz: every logs check is error, exit 1, in human, JSON, JUnit and GitHub output`, async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'app.log.gz'), broken(kind));
      const human = await campfire(['doctor', '--log', 'app.log.gz'], { cwd: dir, env: { NO_COLOR: '1' } });
      expect(human.exitCode).toBe(1);
      expect(human.stdout).toMatch(/✗ logs\.binding-mismatch[^\n]*could not be read completely/);
      expect(human.stdout).not.toMatch(/✓ logs\./);

      const json = await campfire(['doctor', '--log', 'app.log.gz', '--json', '--junit', 'j.xml'], { cwd: dir });
      expect(json.exitCode).toBe(1);
      const doc = JSON.parse(json.stdout) as { checks: { id: string; status: string }[] };
      for (const c of doc.checks.filter((x) => x.id.startsWith('logs.'))) expect(c.status, c.id).toBe('error');
      const junit = readFileSync(path.join(dir, 'j.xml'), 'utf8');
      expect(junit).toMatch(/<testcase[^>]*name="[^"]*logs\.binding-mismatch[^"]*"[^>]*>\s*<error/);

      const gh = await campfire(['doctor', '--log', 'app.log.gz', '--github'], { cwd: dir, env: { NO_COLOR: '1' } });
      expect(gh.exitCode).toBe(1);
      expect(gh.stdout).toMatch(/::error title=campfire logs\.binding-mismatch \(could not judge\)/);
    });
  }
});

describe('drill: credentials and escapes in log lines reach no output', () => {
  const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"role":"service_role"}').toString('base64url')}.LogJwtSig-Qq1`;
  const LINES = [
    `2026-11-25T23:10:00Z mismatch after connect postgres://postgres:Log-Url-Pw-31@db.example.co:5432/postgres`,
    `2026-11-25T23:10:01Z mismatch with key ${jwt}`,
    `2026-11-25T23:10:02Z mismatch; Authorization: Bearer Log-Bearer-Token-77x`,
    `2026-11-25T23:10:03Z mismatch login password=Log-Plain-Pw-88 \u001b]0;pwned\u0007\u001b[2J`,
    `2026-11-25T23:10:04Z [Realtime] Broadcast result {"apikey": "sb_secret_LogSbSecret1234"} \u001b[31mno time`,
  ];
  const SECRETS = ['Log-Url-Pw-31', jwt, 'LogJwtSig-Qq1', 'Log-Bearer-Token-77x', 'Log-Plain-Pw-88', 'LogSbSecret1234'];

  it('samples in human, JSON and JUnit output are scrubbed', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app.log'), `${LINES.join('\n')}\n`);
    const outputs = [
      (await campfire(['doctor', '--log', 'app.log', '--verbose'], { cwd: dir, env: { NO_COLOR: '1' } })).stdout,
      (await campfire(['doctor', '--log', 'app.log', '--json', '--junit', 'j.xml'], { cwd: dir })).stdout,
      readFileSync(path.join(dir, 'j.xml'), 'utf8'),
    ];
    // The human report wraps at 80 columns off a terminal (between words, so no secret is split): compare text.
    expect(outputs[0].replace(/\n +/g, ' ')).toContain('mismatch after connect postgres://postgres:***@db.example.co');
    for (const out of outputs) {
      for (const s of SECRETS) expect(out).not.toContain(s);
      expect(out).not.toMatch(/\u001b|\\u001b|\u0007/);
    }
  });
});

describe('drill: --src string literals reach no terminal as escapes, and keys in excerpts are scrubbed', () => {
  it('human, JSON and SARIF output', async () => {
    const dir = tempDir();
    const jwt = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"role":"service_role"}').toString('base64url')}.SrcJwtSig-77`;
    // Raw ESC and BEL bytes inside the string literals (not the \x1b escape text), and a key on the same line.
    writeFileSync(path.join(dir, 'chat.ts'), [
      `const supabase = createClient('https://x.supabase.co', '${jwt}');`,
      `const ch = supabase.channel('\u001b]0;pwned\u0007org:1:\u001b[2Jconv', { config: { broadcast: { self: true } } }); const key = '${jwt}';`,
      `ch.send({ type: 'broadcast', event: 'message:\u001b[31mcreated', payload: {} });`,
    ].join('\n'));
    const human = await campfire(['doctor', '--src', '.', '--verbose'], { cwd: dir, env: { NO_COLOR: '1' } });
    const json = await campfire(['doctor', '--src', '.', '--json', '--sarif', 's.sarif'], { cwd: dir });
    const sarif = readFileSync(path.join(dir, 's.sarif'), 'utf8');
    expect(human.stdout).toContain("'org:1:conv'");
    for (const out of [human.stdout, human.stderr, json.stdout, sarif]) {
      expect(out).not.toMatch(/\u001b|\\u001b|\u0007|\\u0007/);
      expect(out).not.toContain('SrcJwtSig-77');
    }
  });
});
