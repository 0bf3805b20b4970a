import { registeredSecrets } from './secrets.js';

/**
 * Text campfire relays but did not write (server log lines, HTTP response bodies, a restart command's
 * output, excerpts of the app's source, driver error messages) may carry credentials campfire was never
 * given, so redact()'s registry cannot know them. scrub() masks what is recognisable as a credential by
 * its shape, and strips terminal control sequences so relayed text cannot recolour, move the cursor,
 * retitle the window or hide lines on the reader's terminal. The README's "Security" section lists the
 * shapes; keep the two in step.
 */
export const MASK = '***';

/** Key names whose value is a credential: password=…, "apikey": "…", x-api-key: …, SUPABASE_SERVICE_ROLE_KEY=… */
// No leading [\w.-]* (db_password, client_secret): the match starts at the key word and leaves the prefix as it
// is, and an unbounded prefix would make the regex quadratic on long runs of word characters.
const KEY_NAME = String.raw`(?:password|passwd|pwd|secret|token|api[_-]?key|service[_-]?role[_-]?key|anon[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key)[\w-]{0,24}`;

const KEY_HINT = /passw|pwd|secret|token|key/i;

interface Shape {
  name: string;
  /** A cheap test that must pass for `re` to be worth running (most relayed text holds no credential). */
  hint: RegExp;
  re: RegExp;
  /** Replacement keeps what says what the value was (the key, the scheme) and masks the value. */
  replace: (m: string, ...groups: string[]) => string;
}

const SHAPES: Shape[] = [
  {
    // postgres://user:PASSWORD@host, https://user:PASSWORD@host (a password cannot hold an unencoded "/" or "@").
    name: 'URL password',
    hint: /:\/\//,
    re: /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/]{0,256}:)([^\s@/]{1,1024})@/gi,
    // "USER:PASSWORD@HOST" is campfire's own placeholder in its URL hint, not a password.
    replace: (m, head, value) => (value === 'PASSWORD' ? m : `${head}${MASK}@`),
  },
  {
    // SQL: CREATE/ALTER ROLE … [ENCRYPTED] PASSWORD 'secret' (a migration excerpt, a server log of DDL).
    name: 'SQL password',
    hint: /password/i,
    re: /\b(password\s+)'(?:[^']|'')*'/gi,
    replace: (_m, head) => `${head}'${MASK}'`,
  },
  {
    // Authorization: Bearer …, authorization=Basic …, "Authorization": "…": the whole credential.
    name: 'Authorization header',
    hint: /authorization/i,
    re: /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|digest|token)\s+)?[^\s"',;]+/gi,
    replace: (_m, head, scheme) => `${head}${scheme ? `${scheme} ` : ''}${MASK}`,
  },
  {
    // A Bearer token anywhere ("Bearer eyJ…", "bearer sk-…"): tokens are long, prose words after "Bearer" are not.
    name: 'Bearer token',
    hint: /bearer/i,
    re: /\b(bearer)\s+([A-Za-z0-9._~+/=-]{12,})/gi,
    replace: (_m, scheme) => `${scheme} ${MASK}`,
  },
  {
    // Basic credentials are base64 of user:password; only a value that decodes to that is masked, so "Basic
    // authentication failed" stays readable.
    name: 'Basic credentials',
    hint: /basic/i,
    re: /\b(basic)\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi,
    replace: (m, scheme, value) => (Buffer.from(value, 'base64').toString('latin1').includes(':') ? `${scheme} ${MASK}` : m),
  },
  {
    // JSON and YAML-ish: "password": "…", 'secret': '…', password: "…" (escaped quotes inside the value allowed).
    name: 'quoted key-value',
    hint: KEY_HINT,
    re: new RegExp(String.raw`(["']?${KEY_NAME}["']?\s*[:=]\s*)(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')`, 'gi'),
    replace: (m, head) => `${head}${m.slice(head.length, head.length + 1)}${MASK}${m.slice(head.length, head.length + 1)}`,
  },
  {
    // password=…, apikey=…, ?token=…&, secret: … (bare values end at whitespace, &, ;, a comma or a quote).
    name: 'key=value',
    hint: KEY_HINT,
    re: new RegExp(String.raw`(${KEY_NAME}\s*[:=]\s*)(?!["'\s]|\*\*\*)[^\s&;,"'<>]+`, 'gi'),
    replace: (_m, head) => `${head}${MASK}`,
  },
  {
    // JWTs: three base64url segments, the first a JSON header ("eyJ" is base64 of '{"'). Supabase's legacy
    // anon and service_role keys are JWTs.
    name: 'JWT',
    hint: /eyJ/,
    re: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replace: () => MASK,
  },
  {
    // Supabase's new API keys (sb_secret_…, sb_publishable_…).
    name: 'Supabase key',
    hint: /sb_/,
    re: /\bsb_(?:secret|publishable)_[A-Za-z0-9_-]{8,}/g,
    replace: () => MASK,
  },
];

/**
 * CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/PM/APC strings, other ESC sequences, and 8-bit CSI. An
 * unterminated string sequence ends at the line's end, so it cannot swallow the lines after it.
 */
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|\u001b[P^_X][^\u001b\n]*(?:\u001b\\)?|\u001b[ -/]*[0-~]|\u009b[0-?]*[ -/]*[@-~]/g;
/** What is left after the sequences: C0 controls but tab and newline, DEL, C1 controls, lone ESC. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Removes terminal escape sequences and control characters (tabs and newlines stay; \r is dropped). */
export function stripTerminalEscapes(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** Masks recognisable credentials (see SHAPES) and the registered secrets. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const s of SHAPES) if (s.hint.test(out)) out = out.replace(s.re, s.replace as (m: string, ...g: string[]) => string);
  return maskRegistered(out);
}

/** Everything relayed from outside goes through this: escapes stripped first, so none can split a secret. */
export function scrub(text: string): string {
  return scrubSecrets(stripTerminalEscapes(text));
}

function maskRegistered(text: string): string {
  let out = text;
  for (const s of registeredSecrets().sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out;
}

/**
 * The longest credential a stream scrubber guarantees to catch whole across chunk boundaries. Real ones are
 * far shorter (a service_role JWT is ~220 characters, a URL password rarely over 100).
 */
export const STREAM_LOOKBEHIND = 8192;

/**
 * scrub() for streamed output (a restart command's stdout and stderr): text is released line by line, and a
 * line longer than STREAM_LOOKBEHIND is released in pieces that never cut through a credential, so a secret
 * straddling two chunks is masked like one that does not. Memory stays bounded by the look-behind.
 */
export class StreamScrubber {
  private pending = '';

  /** Adds a chunk; returns the scrubbed text that is safe to release now. */
  push(chunk: string): string {
    this.pending += chunk;
    const nl = this.pending.lastIndexOf('\n');
    let out = '';
    if (nl >= 0) {
      // No shape spans a newline, so whole lines are scrubbed on their own.
      out = scrub(this.pending.slice(0, nl + 1));
      this.pending = this.pending.slice(nl + 1);
    }
    if (this.pending.length > 2 * STREAM_LOOKBEHIND) {
      const cut = safeCut(this.pending, this.pending.length - STREAM_LOOKBEHIND);
      out += scrub(this.pending.slice(0, cut));
      this.pending = this.pending.slice(cut);
    }
    return out;
  }

  /** The rest, at the end of the stream. */
  end(): string {
    const out = scrub(this.pending);
    this.pending = '';
    return out;
  }
}

/**
 * A cut at or before `at` that no credential (nor escape sequence) crosses: if one does, the cut moves to
 * its start. A "credential" that runs on for more than STREAM_LOOKBEHIND is cut anyway (memory stays bounded).
 */
function safeCut(text: string, at: number): number {
  const floor = Math.max(0, at - STREAM_LOOKBEHIND);
  // Cut after whitespace where there is some: every shape starts at a token's start, so none begins
  // right after the cut with its first characters before it ("passw" | "ord=…").
  const space = Math.max(text.lastIndexOf(' ', at - 1), text.lastIndexOf('\t', at - 1));
  let cut = space >= floor ? space + 1 : at;
  for (let moved = true; moved; ) {
    moved = false;
    for (const s of SHAPES) {
      if (!s.hint.test(text)) continue;
      for (const m of text.matchAll(s.re)) {
        if (m.index < cut && m.index + m[0].length >= cut && m.index >= floor) {
          cut = m.index;
          moved = true;
        }
      }
    }
    for (const secret of registeredSecrets()) {
      const from = text.lastIndexOf(secret, cut);
      if (from >= floor && from < cut && from + secret.length >= cut) {
        cut = from;
        moved = true;
      }
    }
    // An escape sequence cut in two would leave its tail ("[31m") behind as text.
    const esc = text.lastIndexOf('\u001b', cut - 1);
    if (esc >= floor && esc < cut && cut - esc < 64 && !ESCAPE_AT.test(text.slice(esc, cut))) {
      cut = esc;
      moved = true;
    }
  }
  return cut;
}

// eslint-disable-next-line no-control-regex
const ESCAPE_AT = /^\u001b(?:\[[0-?]*[ -/]*[@-~]|[ -/]*[0-~])/;
