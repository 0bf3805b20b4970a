import { describe, expect, it } from 'vitest';
import { redact, registerSecret, registerUrlSecrets } from '../../src/secrets.js';

describe('redact', () => {
  it('masks every registered secret, longest first', () => {
    registerSecret('sup3r-secret');
    registerSecret('sup3r');
    expect(redact('a sup3r-secret and a sup3r one')).toBe('a *** and a *** one');
  });
  it('leaves text alone for secrets too short to search for', () => {
    registerSecret('x');
    expect(redact('exists')).toBe('exists');
  });
});

describe('registerUrlSecrets', () => {
  it('registers the password and key-like query values of a URL that does not even parse', () => {
    registerUrlSecrets('https://user:pw-in-userinfo-1@bad host/?apikey=key-in-query-2&x=visible-3');
    expect(redact('pw-in-userinfo-1 key-in-query-2 visible-3')).toBe('*** *** visible-3');
  });
});
