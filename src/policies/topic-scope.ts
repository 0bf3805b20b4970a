/**
 * What a realtime.messages policy expression ties a channel to, read from its text as Postgres prints it
 * (pg_get_expr). Realtime evaluates the policies with `realtime.topic` set to the channel being joined
 * and `request.jwt.claims` to the joining session's claims (supabase/realtime:
 * lib/realtime/tenants/authorization.ex), so an expression that reads neither admits every channel to
 * every session of the roles it applies to.
 */
export interface TopicScope {
  /** Reads the channel being joined (realtime.topic()). */
  topic: boolean;
  /** Reads who is joining: auth.uid()/auth.jwt()/auth.role(), request.jwt.claims, or a lookup using them. */
  session: boolean;
  /** Topics or topic patterns the expression names, as written ('bcast:org:%', 'prefix bcast:org:'). */
  topics: string[];
}

const SESSION = /\bauth\s*\.\s*(uid|jwt|role|email)\s*\(|request\.jwt\.claim|current_user|session_user/i;
const TOPIC = /\brealtime\s*\.\s*topic\s*\(|\btopic\s*\(\s*\)|current_setting\('realtime\.topic'/i;
const TOPIC_COLUMN = /(^|[^.\w])(messages\.)?topic\b(?!\s*\()/i;

const TOPIC_REF = /(\(\s*SELECT\s+realtime\.topic\(\)\s+AS\s+topic\)|realtime\.topic\(\)|(?<![.\w])topic\b(?!\s*\())/gi;
const COMPARED = /^\s*\)?\s*(?:=|~~\*?|~\*?)\s*(?:ANY\s*\(\s*ARRAY\[)?\s*((?:'(?:[^']|'')*'(?:::text)?\s*,?\s*)+)/i;

/** Literals the topic is compared with (=, LIKE as ~~, ILIKE, regex, = ANY (ARRAY[…])) and prefixes it is cut to. */
function literals(expr: string): string[] {
  const out: string[] = [];
  for (const m of expr.matchAll(TOPIC_REF)) {
    const after = COMPARED.exec(expr.slice(m.index + m[0].length));
    if (after) for (const lit of after[1]!.matchAll(/'((?:[^']|'')*)'/g)) out.push(lit[1]!.replace(/''/g, "'"));
  }
  for (const m of expr.matchAll(/\b(?:"?left"?|starts_with)\s*\(\s*(?:\(\s*SELECT\s+realtime\.topic\(\)\s+AS\s+topic\)|realtime\.topic\(\)|topic)\s*,[^)']*\)?\s*(?:=\s*)?'((?:[^']|'')*)'/gi)) {
    out.push(`prefix ${m[1]!.replace(/''/g, "'")}`);
  }
  return [...new Set(out)];
}

export function topicScope(expr: string | null): TopicScope {
  if (expr === null) return { topic: false, session: false, topics: [] };
  // The table's own topic column is what Realtime's probe row carries: it identifies the channel too.
  const topic = TOPIC.test(expr) || TOPIC_COLUMN.test(expr);
  const session = SESSION.test(expr);
  return { topic, session, topics: topic ? literals(expr) : [] };
}
