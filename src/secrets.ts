/**
 * Every password and key campfire is given is registered here the moment it is parsed, and every byte
 * campfire prints or writes passes through redact(): a secret cannot leak through an error message,
 * a stack trace or a report, whatever produced the text. Credentials campfire was never given (in log
 * lines, HTTP bodies, a restart command's output) are recognised by their shape instead: src/scrub.ts.
 */
const secrets = new Set<string>();

/**
 * Shorter secrets are not searched for in free text: masking a one-letter password would mangle every
 * word containing that letter. campfire never prints a password in the first place (URLs are shown
 * without it); this registry is the second line of defence.
 */
export const MIN_MASKED_LENGTH = 4;

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_MASKED_LENGTH) return;
  secrets.add(value);
  // URL-encoded forms appear when a URL is echoed back by a library.
  try {
    secrets.add(encodeURIComponent(value));
    secrets.add(decodeURIComponent(value));
  } catch {
    /* not valid percent-encoding: the raw value is registered already */
  }
}

export function registeredSecrets(): string[] {
  return [...secrets];
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length > 0) out = out.split(s).join('***');
  }
  return out;
}

/**
 * Registers the credentials a URL may carry (user:PASSWORD@, ?password=, ?apikey=, ?token=…) before the URL
 * is parsed: an error line that echoes an invalid URL back then cannot print them.
 */
export function registerUrlSecrets(raw: string): void {
  registerSecret(/^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@]*)@/i.exec(raw.trim())?.[1]);
  for (const m of raw.matchAll(/[?&](?:password|pass|pwd|apikey|api_key|key|token|access_token|secret)=([^&#\s]*)/gi)) registerSecret(m[1]);
}
