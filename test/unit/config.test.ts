import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, parseConfig } from '../../src/config.js';

describe('config', () => {
  it("defaults to the guide's names", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-cfg-'));
    expect(await loadConfig(undefined, dir)).toEqual(DEFAULT_CONFIG);
  });

  it('merges overrides and reads ./campfire.config.json', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-cfg-'));
    writeFileSync(path.join(dir, 'campfire.config.json'), JSON.stringify({ schema: 'app', tables: { messages: 'Msgs' } }));
    const c = await loadConfig(undefined, dir);
    expect(c.schema).toBe('app');
    expect(c.tables).toEqual({ ...DEFAULT_CONFIG.tables, messages: 'Msgs' });
  });

  it.each([
    [[], /must be a JSON object/],
    [{ shema: 'x' }, /"shema" is not a known key/],
    [{ tables: { convs: 'x' } }, /"tables.convs" is not a known key \(known: conversations, messages, realtimeConversations\)/],
    [{ schema: '' }, /"schema" must be a non-empty string/],
    [{ schema: 'x'.repeat(64) }, /longer than 63 bytes/],
    [{ roles: 'anon' }, /"roles" must be an object/],
    [{ scalarTypes: 'citext' }, /must be an array/],
  ])('rejects %j with a message naming the key', (doc, msg) => {
    expect(() => parseConfig(doc)).toThrow(msg);
  });

  it('says what is wrong with an unreadable or invalid file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campfire-cfg-'));
    writeFileSync(path.join(dir, 'bad.json'), '{ "schema": ');
    await expect(loadConfig('bad.json', dir)).rejects.toThrow(/is not valid JSON/);
    await expect(loadConfig('missing.json', dir)).rejects.toThrow(/does not exist/);
    await expect(loadConfig('.', dir)).rejects.toThrow(/is a directory/);
  });
});
