/** Every credential shape the README's Security section lists, each with a distinctive value. */
const jwt = (tag: string) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"role":"service_role","ref":"${tag}"}`).toString('base64url')}.Sig${tag}Xk3_-q`;
const basic = (tag: string) => Buffer.from(`app:${tag}`).toString('base64');

export const SHAPES: { name: string; text: (v: string) => string; secret: (v: string) => string }[] = [
  { name: 'postgres URL password', text: (v) => `connect postgres://postgres:${v}@db.example.com:5432/postgres failed`, secret: (v) => v },
  { name: 'https URL password', text: (v) => `GET https://admin:${v}@api.example.com/x`, secret: (v) => v },
  { name: 'service_role JWT', text: (v) => `key=${jwt(v)}`, secret: (v) => jwt(v) },
  { name: 'bare JWT', text: (v) => `apikey header ${jwt(v)} rejected`, secret: (v) => jwt(v) },
  { name: 'Bearer token', text: (v) => `Authorization: Bearer ${v}tokenvalue`, secret: (v) => `${v}tokenvalue` },
  { name: 'bearer in prose', text: (v) => `sent bearer ${v}tokenvalue to upstream`, secret: (v) => `${v}tokenvalue` },
  { name: 'Basic credentials', text: (v) => `headers: { authorization: 'Basic ${basic(v)}' }`, secret: (v) => basic(v) },
  { name: 'Basic without header name', text: (v) => `auth=Basic ${basic(v)} from proxy`, secret: (v) => basic(v) },
  { name: 'password=', text: (v) => `login password=${v} user=bob`, secret: (v) => v },
  { name: 'apikey=', text: (v) => `?apikey=${v}&x=1`, secret: (v) => v },
  { name: 'secret=', text: (v) => `client_secret=${v};`, secret: (v) => v },
  { name: 'token=', text: (v) => `refresh token=${v}`, secret: (v) => v },
  { name: 'JSON password', text: (v) => `{"user":"bob","password": "${v} with spaces \\" and quote"}`, secret: (v) => `${v} with spaces` },
  { name: 'JSON apiKey', text: (v) => `{"apiKey":"${v}"}`, secret: (v) => v },
  { name: 'env service role key', text: (v) => `SUPABASE_SERVICE_ROLE_KEY=${v}`, secret: (v) => v },
  { name: 'sb_secret key', text: (v) => `using sb_secret_${v}abcdef`, secret: (v) => `sb_secret_${v}abcdef` },
  { name: 'sb_publishable key', text: (v) => `using sb_publishable_${v}abcdef`, secret: (v) => `sb_publishable_${v}abcdef` },
  { name: 'SQL role password', text: (v) => `create role app login encrypted password '${v}''s';`, secret: (v) => v },
];
