import { describe, expect, it } from 'vitest';
import { topicScope } from '../../src/policies/topic-scope.js';

describe('topicScope (realtime.messages policy expressions as pg_get_expr prints them)', () => {
  it.each([
    ['true', { topic: false, session: false, topics: [] }],
    ['(auth.uid() IS NOT NULL)', { topic: false, session: true, topics: [] }],
    ["(realtime.topic() = 'bcast:org:1'::text)", { topic: true, session: false, topics: ['bcast:org:1'] }],
    ["(realtime.topic() ~~ 'bcast:org:%'::text)", { topic: true, session: false, topics: ['bcast:org:%'] }],
    ["(realtime.topic() = ANY (ARRAY['a'::text, 'b'::text]))", { topic: true, session: false, topics: ['a', 'b'] }],
    ["((\"left\"(( SELECT realtime.topic() AS topic), 10) = 'bcast:org:'::text) AND (split_part(substr(( SELECT realtime.topic() AS topic), 11), ':'::text, 1) = (( SELECT auth.jwt() AS jwt) #>> '{app_metadata,org_id}'::text[])))",
      { topic: true, session: true, topics: ['prefix bcast:org:'] }],
    ["(EXISTS ( SELECT 1 FROM members m WHERE ((m.user_id = auth.uid()) AND (('org:'::text || m.org_id) = realtime.topic()))))", { topic: true, session: true, topics: [] }],
    ["(topic = ('room:'::text || (auth.uid())::text))", { topic: true, session: true, topics: [] }],
  ])('%s', (expr, want) => {
    expect(topicScope(expr)).toEqual(want);
  });
  it('no expression reads nothing', () => expect(topicScope(null)).toEqual({ topic: false, session: false, topics: [] }));
});
