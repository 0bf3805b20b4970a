import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { deselectedIds, selectChecks, splitNames } from '../../src/checks/select.js';
import { UsageError } from '../../src/errors.js';

const ids = (only?: string[], skip?: string[]) => selectChecks(CHECKS, { only, skip }).map((c) => c.id);
const all = CHECKS.map((c) => c.id);
const inSection = (s: string) => CHECKS.filter((c) => c.section === s).map((c) => c.id);

describe('splitNames', () => {
  it('accepts repeated flags and comma lists, trimming blanks', () => {
    expect(splitNames(['a,b', ' c ', ',,d,'])).toEqual(['a', 'b', 'c', 'd']);
    expect(splitNames('x, y')).toEqual(['x', 'y']);
    expect(splitNames(undefined)).toEqual([]);
  });
});

describe('selectChecks', () => {
  it('selects every check when nothing is given', () => {
    expect(ids()).toEqual(all);
  });

  it('--only ID keeps just that check; a section id keeps all its checks, in registry order', () => {
    expect(ids(['permissions.grants'])).toEqual(['permissions.grants']);
    expect(ids(['permissions'])).toEqual(inSection('permissions'));
    expect(inSection('permissions').length).toBeGreaterThan(1);
    // Registry order, whatever order the names were given in.
    expect(ids(['policies.permissive', 'publication.exists'])).toEqual(['publication.exists', 'policies.permissive']);
  });

  it('--skip removes checks and sections; with --only it narrows what --only kept', () => {
    expect(ids(undefined, ['beyond'])).toEqual(all.filter((id) => !inSection('beyond').includes(id)));
    expect(ids(['binding-mismatch'], ['publication.exists'])).toEqual(inSection('binding-mismatch').filter((id) => id !== 'publication.exists'));
  });

  it('an unknown name is a usage error naming it and listing the valid sections and checks', () => {
    const err = (() => {
      try {
        ids(['permissions', 'publication.exist', 'nope']);
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('--only: unknown check or section "publication.exist", "nope"');
    expect(err.message).toContain('binding-mismatch');
    expect(err.message).toContain('publication.exists');
    expect(() => selectChecks(CHECKS, { skip: ['typo'], skipSource: 'config key "skip"' })).toThrow(/^config key "skip": unknown/);
  });

  it('a selection that leaves nothing is a usage error, not a silent green run', () => {
    expect(() => ids(['permissions'], ['permissions'])).toThrow(UsageError);
    expect(() => ids(['permissions'], ['permissions'])).toThrow(/leaves no check to run/);
  });

  it('deselectedIds lists what a selection left out', () => {
    const chosen = selectChecks(CHECKS, { skip: ['beyond'] });
    expect(deselectedIds(CHECKS, chosen)).toEqual(inSection('beyond'));
  });
});

describe('a mistyped check id', () => {
  it('is a usage error that suggests the nearest id or section', () => {
    for (const [typo, meant] of [
      ['permissions.grant', 'permissions.grants'],
      ['publication.scalar-column', 'publication.scalar-columns'],
      ['Permissions', 'permissions'],
      ['realtime.brodcast', 'realtime.broadcast'],
      ['binding-mismatches', 'binding-mismatch'],
    ]) {
      expect(() => selectChecks(CHECKS, { only: [typo!] }), typo).toThrow(new RegExp(`did you mean "${meant!.replace(/\./g, '\\.')}"\\?`));
      expect(() => selectChecks(CHECKS, { skip: [typo!] }), typo).toThrow(/did you mean/);
    }
  });

  it('suggests nothing when no id is close', () => {
    expect(() => selectChecks(CHECKS, { only: ['zzzzzzzz'] })).toThrow(UsageError);
    expect(() => selectChecks(CHECKS, { only: ['zzzzzzzz'] })).not.toThrow(/did you mean/);
  });
});
