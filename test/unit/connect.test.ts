import { describe, expect, it } from 'vitest';
import { assertSupportedServer, connectionError } from '../../src/db/connect.js';
import { UsageError } from '../../src/errors.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { redact } from '../../src/secrets.js';

const target = parseDatabaseUrl('postgres://app:hunter2@db.example.test:6543/chat');
const opts = { connectTimeoutMs: 10_000, statementTimeoutMs: 15_000 };

describe('assertSupportedServer', () => {
  it('refuses PostgreSQL 14 with a clear reason', () => {
    expect(() => assertSupportedServer(140011, '14.11 (Debian)', target)).toThrow(
      new UsageError('db.example.test:6543 runs PostgreSQL 14.11; campfire needs 15 or newer (publication column lists arrived in 15).'),
    );
  });
  it('accepts 15 and later', () => {
    expect(() => assertSupportedServer(150000, '15.0', target)).not.toThrow();
    expect(() => assertSupportedServer(170010, '17.10', target)).not.toThrow();
  });
});

describe('connectionError', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['refused', { code: 'ECONNREFUSED' }, /^Nothing is listening at db.example.test:6543/],
    ['unknown host', { code: 'ENOTFOUND' }, /host "db.example.test" could not be found/],
    ['wrong password', { code: '28P01' }, /Password authentication failed for user "app"/],
    ['no such database', { code: '3D000' }, /Database "chat" does not exist/],
    ['timeout', { message: 'Connection terminated due to connection timeout' }, /within 10s/],
    ['statement timeout', { code: '57014' }, /timed out after 15s/],
  ];
  for (const [name, err, expected] of cases) {
    it(name, () => {
      const e = connectionError(err, target, opts);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(expected);
      expect(e.message).not.toContain('hunter2');
      expect(e.message.split('\n')).toHaveLength(1);
    });
  }
});

describe('parseDatabaseUrl', () => {
  it('drops the password from the display form and registers it as a secret', () => {
    const t = parseDatabaseUrl('postgresql://u:p%40ss%2Fw0rd@h:5433/d?sslmode=require');
    expect(t.display).toBe('postgresql://u@h:5433/d?sslmode=require');
    expect(redact('p@ss/w0rd and p%40ss%2Fw0rd')).toBe('*** and ***');
  });
  it('masks a password given as a query parameter', () => {
    const t = parseDatabaseUrl('postgres://h/d?user=u&password=qp-secret');
    expect(t.display).not.toContain('qp-secret');
    expect(redact('qp-secret')).toBe('***');
  });
  it.each([
    ['not a url', /not a valid URL/],
    ['mysql://u:p@h/d', /must start with postgres:\/\//],
    ['postgres://', /not a valid URL|has no host/],
  ])('rejects %s', (raw, msg) => {
    expect(() => parseDatabaseUrl(raw)).toThrow(msg);
  });
  it('never echoes the password of a malformed URL', () => {
    try {
      parseDatabaseUrl('postgres://u:topsecret@[bad/d');
    } catch (e) {
      expect(redact((e as Error).message)).not.toContain('topsecret');
      expect(redact('topsecret')).toBe('***');
    }
  });
});
