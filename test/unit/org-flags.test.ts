import { describe, expect, it } from 'vitest';
import { unifyOrg } from '../../src/realtime/options.js';

/** One organisation input (--org-id, old --org) feeding whichever probe the run asked for. */
describe('unifyOrg', () => {
  const run = (opts: Parameters<typeof unifyOrg>[0]) => {
    const o = { ...opts };
    unifyOrg(o);
    return { org: o.org, orgId: o.orgId };
  };

  it('--org-id with the realtime flags feeds the realtime probe, and the widget probes too when --app-url is given', () => {
    expect(run({ orgId: 'o1', supabaseUrl: 'https://p.supabase.co', conv: 'c' })).toEqual({ org: 'o1', orgId: undefined });
    expect(run({ orgId: 'o1', supabaseUrl: 'https://p.supabase.co', conv: 'c', appUrl: 'http://app' })).toEqual({ org: 'o1', orgId: 'o1' });
  });

  it('the old --org still works, for both probes', () => {
    expect(run({ org: 'o2', conv: 'c' })).toEqual({ org: 'o2', orgId: undefined });
    expect(run({ org: 'o2', appUrl: 'http://app' })).toEqual({ org: 'o2', orgId: 'o2' });
  });

  it('--org-id alone stays the widget input (its usage error names --app-url), and nothing given stays nothing', () => {
    expect(run({ orgId: 'o3' })).toEqual({ org: undefined, orgId: 'o3' });
    expect(run({})).toEqual({ org: undefined, orgId: undefined });
  });
});
