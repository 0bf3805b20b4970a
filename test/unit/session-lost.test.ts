import { describe, expect, it } from 'vitest';
import { connectionError } from '../../src/db/connect.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { isSessionLost, sessionLost } from '../../src/errors.js';

/** How a lost session is told apart, and when the outcome of a COMMIT is open (the drill covers the rest). */
describe('sessionLost', () => {
  const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  const notQueryable = new Error('Client has encountered a connection error and is not queryable');
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it('recognises the ways a session ends, and nothing else', () => {
    for (const e of [terminated, notQueryable, reset, new Error('Connection terminated unexpectedly'), { code: '08006', message: 'x' }]) expect(isSessionLost(e)).toBe(true);
    for (const e of [new Error('syntax error'), { code: '42501', message: 'permission denied' }, { code: '57014', message: 'canceling statement due to statement timeout' }]) expect(isSessionLost(e)).toBe(false);
  });

  it('before COMMIT: nothing was committed, with the reason the client heard', () => {
    const e = sessionLost(notQueryable, false, 'db', terminated);
    expect(e.duringCommit).toBe(false);
    expect(e.message).toContain('(57P01: terminating connection due to administrator command)');
    expect(e.message).toContain('nothing was committed');
  });

  it('a COMMIT that was never sent (the client knew it was dead) is still "nothing committed"', () => {
    expect(sessionLost(notQueryable, true, 'db', terminated).duringCommit).toBe(false);
  });

  it('lost while COMMIT was in flight: the outcome is open, and the message says how to tell', () => {
    const e = sessionLost(reset, true, 'db');
    expect(e.duringCommit).toBe(true);
    expect(e.message).toMatch(/cannot know whether the server committed.*without --apply: "nothing to do" means the change was committed/);
  });

  it('outside apply (doctor reading), a terminated session says so rather than "could not connect"', () => {
    const e = connectionError(terminated, parseDatabaseUrl('postgres://u@db.example:5432/x'), { connectTimeoutMs: 1000, statementTimeoutMs: 1000 });
    expect(e.message).toBe("The server at db.example:5432 ended campfire's session (57P01: terminating connection due to administrator command): run again when it accepts connections.");
  });
});
