import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config.js';
import { tempDir } from '../support/fix.js';

/** Every name an object inherits: `key in obj` says yes to all of them, a config must not. */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);

describe('config: unknown keys anywhere are errors, inherited names included', () => {
  it('covers the names the issue found', () => expect(INHERITED).toEqual(expect.arrayContaining(['toString', '__proto__', 'constructor', 'hasOwnProperty'])));

  for (const where of ['(top level)', 'tables', 'roles', 'functions']) {
    it(`${where}: ${INHERITED.length} inherited names are rejected`, () => {
      for (const key of INHERITED) {
        // JSON.parse makes "__proto__" an own key, as a config file would.
        const text = where === '(top level)' ? `{${JSON.stringify(key)}: "x"}` : `{${JSON.stringify(where)}: {${JSON.stringify(key)}: "x"}}`;
        expect(() => parseConfig(JSON.parse(text)), `${where}.${key}`).toThrow(/is not a known key/);
      }
    });
  }

  it('the known keys still work', () => {
    expect(parseConfig(JSON.parse('{"tables": {"conversations": "convs"}, "roles": {"anon": "a"}}')).tables.conversations).toBe('convs');
  });
});

describe('config: a UTF-8 byte order mark is accepted', () => {
  it('reads a file that starts with EF BB BF', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'campfire.config.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"schema": "app"}')]));
    expect((await loadConfig(file)).schema).toBe('app');
  });
});
