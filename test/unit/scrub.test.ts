import { describe, expect, it } from 'vitest';
import { scrub, STREAM_LOOKBEHIND, StreamScrubber, stripTerminalEscapes } from '../../src/scrub.js';
import { registerSecret } from '../../src/secrets.js';
import { seededRandom } from '../support/random.js';
import { SHAPES } from '../support/secret-shapes.js';

describe('scrub: credentials campfire was not given', () => {
  for (const s of SHAPES) {
    it(`masks ${s.name}`, () => {
      const out = scrub(s.text('Qx7Secret91'));
      expect(out).not.toContain(s.secret('Qx7Secret91'));
      expect(out).not.toContain('Qx7Secret91');
      expect(out).toContain('***');
    });
  }

  it('leaves ordinary text alone', () => {
    for (const text of [
      'Basic authentication failed for user bob',
      'the bearer of bad news',
      '[Realtime] ✅ Broadcast successful: org:1:conv:2 -> message:created',
      'mismatch between server and client bindings for postgres changes',
      'see https://supabase.com/docs/guides/realtime and postgres://HOST:5432/db',
      'took 12ms (duration=12ms)',
      'expected postgres://USER:PASSWORD@HOST:PORT/DATABASE',
    ]) expect(scrub(text)).toBe(text);
  });

  it('masks registered secrets too', () => {
    registerSecret('Reg1stered-Pw-x');
    expect(scrub('echo Reg1stered-Pw-x')).toBe('echo ***');
  });
});

describe('stripTerminalEscapes', () => {
  it('removes CSI, OSC, 8-bit CSI and lone controls, keeps tabs and newlines', () => {
    const text = 'a\u001b[31mred\u001b[0m\tb\u001b]0;owned title\u0007c\u009b2Jd\u001b[2K\re\u0007\u001bcf\n';
    expect(stripTerminalEscapes(text)).toBe('ared\tbcdef\n');
  });
  it('an unterminated OSC string ends at the line end, not at the end of the text', () => {
    expect(stripTerminalEscapes('a\u001b]0;title\nsecond line')).toBe('a\nsecond line');
  });
  it('an escape cannot hide a secret: escapes go first', () => {
    expect(scrub('pass\u001b[0mword=Hidden-Pw1')).toBe('password=***');
  });
});

/** Stream text through a StreamScrubber in the given chunk sizes. */
function streamed(text: string, sizes: () => number): string {
  const s = new StreamScrubber();
  let out = '';
  for (let i = 0; i < text.length; ) {
    const n = Math.max(1, sizes());
    out += s.push(text.slice(i, i + n));
    i += n;
  }
  return out + s.end();
}

describe('StreamScrubber: a secret straddling chunk boundaries is masked', () => {
  it('a password split across a 64 KiB chunk boundary (the reported case)', () => {
    const filler = 'x'.repeat(65_536 - 20);
    const text = `${filler} postgres://u:Straddle-Pw-123@h/db more\n`;
    const out = streamed(text, () => 65_536);
    expect(out).not.toContain('Straddle-Pw-123');
    expect(out).toContain('postgres://u:***@h/db more');
  });

  it('a registered secret split anywhere in a line with no newline for 100 KB', () => {
    registerSecret('Registered-Split-Pw');
    const text = `${'y '.repeat(40_000)}Registered-Split-Pw${' z'.repeat(10_000)}`;
    for (const size of [1, 7, 4096, 65_536]) expect(streamed(text, () => size)).not.toContain('Registered-Split-Pw');
  });

  it('output equals scrub() of the whole when lines are short', () => {
    const text = SHAPES.map((s) => s.text('Lines9Secret')).join('\n') + '\n';
    expect(streamed(text, () => 5)).toBe(scrub(text));
  });

  // Property: random secrets of every shape, at random offsets in random filler, cut into random chunks,
  // never reach the output. CAMPFIRE_LONG_PROPERTY=1 runs many more.
  const runs = process.env.CAMPFIRE_LONG_PROPERTY ? 400 : 40;
  it(`random secrets at random offsets and chunkings never appear (${runs} runs)`, () => {
    for (let run = 0; run < runs; run++) {
      const seed = 0x5c2b + run;
      const rnd = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const word = (n: number) => Array.from({ length: n }, () => pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''))).join('');
      const parts: string[] = [];
      const secrets: string[] = [];
      const longLines = rnd() < 0.5;
      for (let i = 0; i < 12; i++) {
        parts.push(Array.from({ length: Math.floor(rnd() * (longLines ? 3000 : 30)) }, () => pick([word(1 + Math.floor(rnd() * 9)), ' ', ' ', longLines ? ' ' : '\n', ':', '='])).join(''));
        const shape = pick(SHAPES);
        const value = `Rs${word(8 + Math.floor(rnd() * 20))}`;
        parts.push(` ${shape.text(value)} `);
        secrets.push(shape.secret(value));
      }
      const text = parts.join('');
      const maxChunk = pick([3, 100, 4096, 65_536, STREAM_LOOKBEHIND * 3]);
      const out = streamed(text, () => 1 + Math.floor(rnd() * maxChunk));
      for (const secret of secrets) expect(out, `seed ${seed}`).not.toContain(secret);
    }
  });
});

describe("the README's Security section lists what is scrubbed", () => {
  it('names every shape', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /## Security: what campfire never prints\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    for (const word of ['URL passwords', 'JWTs', 'service_role', 'Authorization:', 'Bearer', 'Basic', 'password=', 'apikey=', 'secret=', 'token=', '"password": "…"', 'sb_secret_', 'sb_publishable_', 'Terminal control', 'chunk boundaries']) {
      expect(section, word).toContain(word);
    }
  });
});
