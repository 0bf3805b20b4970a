import { splitNames } from '../checks/select.js';

export type FailOn = 'fail' | 'warn';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['fail', 'warn'];

/** The CI gate's keys in campfire.config.json: the same lists and level the flags take. */
export interface GateConfig {
  only?: string[];
  skip?: string[];
  failOn?: FailOn;
}

export const GATE_CONFIG_KEYS = ['only', 'skip', 'failOn'] as const;

/**
 * Validates the gate keys of a parsed config document. Check names are validated against the registry when
 * the selection is made (select.ts), where the error can list the valid ones.
 */
export function parseGateConfig(doc: Record<string, unknown>, fail: (key: string, what: string) => never): GateConfig {
  const gate: GateConfig = {};
  for (const key of ['only', 'skip'] as const) {
    if (!(key in doc)) continue;
    const value = doc[key];
    // A comma list is accepted as in the flag; an array is the natural JSON form.
    if (typeof value === 'string') gate[key] = splitNames(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) gate[key] = splitNames(value as string[]);
    else fail(key, 'must be an array of check ids or section ids (campfire checks lists them)');
  }
  if ('failOn' in doc) {
    const value = doc.failOn;
    if (typeof value !== 'string' || !FAIL_ON_LEVELS.includes(value as FailOn)) {
      fail('failOn', `must be "fail" or "warn" (got ${JSON.stringify(value)})`);
    }
    gate.failOn = value as FailOn;
  }
  return gate;
}
