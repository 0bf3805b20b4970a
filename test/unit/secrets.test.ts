import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from '../../src/secrets.js';

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
