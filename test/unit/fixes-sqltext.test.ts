import { describe, expect, it } from 'vitest';
import { listSettingSql, splitListSetting } from '../../src/fixes/sqltext.js';
import { checksToVerify, undoSql, type Plan } from '../../src/fixes/plan.js';

describe('list settings', () => {
  it('splits proconfig values back into elements', () => {
    expect(splitListSetting('public, pg_temp')).toEqual(['public', 'pg_temp']);
    expect(splitListSetting('"$user", public')).toEqual(['$user', 'public']);
    expect(splitListSetting('"a ""b"", c", x')).toEqual(['a "b", c', 'x']);
    expect(splitListSetting('""')).toEqual(['']);
  });
  it('sets them again as literals', () => {
    expect(listSettingSql('"$user", public')).toBe(`'$user', 'public'`);
    expect(listSettingSql('""')).toBe(`''`);
  });
});

describe('plans', () => {
  const plan: Plan = {
    command: 'fix-permissions',
    steps: [
      { id: 'a', title: 'a', reasons: [], sql: ['A1', 'A2'], undo: ['a1', 'a2'], repairs: ['x', 'y'] },
      { id: 'b', title: 'b', reasons: [], sql: ['B'], undo: ['b'], repairs: ['z'] },
    ],
    decisions: [{ object: 'o', detail: 'd', leaves: ['y'] }],
    refusals: [],
    notes: [],
  };
  it('undo runs steps in reverse, each in its own order', () => expect(undoSql(plan)).toEqual(['b', 'a1', 'a2']));
  it('verifies what the steps repair minus what decisions leave', () => expect(checksToVerify(plan)).toEqual(['x', 'z']));
});
