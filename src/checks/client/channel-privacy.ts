import type { Check, Finding } from '../types.js';
import { codeFinding, plural, shown, unparsedNote } from './finding.js';
import { Naming } from './naming.js';

/**
 * Who can listen. A public channel (realtime-js's default, `config.private` false) is joined with nothing
 * but the project's anon / publishable key — the key every widget ships — so anyone can join any topic
 * and receive what the server broadcasts there. A private channel is authorised at join time by RLS
 * policies on realtime.messages, evaluated with the joining user's JWT; without an access token the
 * join is refused. (Supabase docs: guides/realtime/authorization; realtime-js RealtimeChannel
 * `config.private`, sent as `private` in the join payload.)
 */
export const clientChannelPrivacy: Check<'client'> = {
  id: 'client.channel-privacy',
  section: 'widget-auth',
  title: 'Channels are private where they carry organisation data',
  verifies: 'Every channel is created with config: { private: true } (org-wide topics must be; a public per-conversation channel is a warning), and a client with private channels gives Realtime an access token (a sign-in, an anonymous sign-in, realtime.setAuth or the accessToken option).',
  guideRef: 'Beyond the guide (Widget Authentication): the guide\'s channels are public; Supabase Realtime Authorization makes them private',
  fix: null,
  input: 'client',
  judge(stats, config) {
    const naming = new Naming(config);
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const privateOnes = stats.channels.filter((c) => c.private === true);
    for (const c of stats.channels) {
      const name = shown(c.name);
      if (c.private === true) continue;
      if (c.private === 'dynamic') {
        warnings.push(codeFinding(c.at, `channel ${name}: unknown whether it is private (its options are not a literal object)`, 'warn'));
        continue;
      }
      const v = naming.judge(c.name);
      const kind = v.ok === false ? null : v.kind;
      if (kind === 'orgWide' && v.ok === true) {
        failures.push(codeFinding(c.at, `public channel ${name} on an org-wide topic: anyone holding the publishable key can join it and receive every conversation's events of that organisation`));
      } else if (kind === 'orgWide') {
        warnings.push(codeFinding(c.at, `public channel ${name}: probably an org-wide topic (${v.ok === 'unknown' ? v.why : ''}); anyone holding the publishable key could join it`, 'warn'));
      } else if (kind === 'conversation') {
        warnings.push(codeFinding(c.at, `public channel ${name} on a per-conversation topic: anyone holding the publishable key who knows (or guesses) the ids can join it`, 'warn'));
      } else {
        warnings.push(codeFinding(c.at, `public channel ${name}: anyone holding the publishable key can join it (topic ${v.ok === 'unknown' ? 'unknown' : 'outside the configured patterns'})`, 'warn'));
      }
    }
    if (privateOnes.length && stats.authSignals.length === 0) {
      for (const c of privateOnes) {
        warnings.push(codeFinding(c.at, `private channel ${shown(c.name)}, but nothing under --src gives Realtime an access token (no sign-in or signInAnonymously(), no realtime.setAuth(), no accessToken option): as the anon role its join is refused unless a policy admits anon`, 'warn'));
      }
    }
    const note = unparsedNote(stats);
    const total = plural(stats.channels.length, 'channel');
    if (failures.length) return { status: 'fail', summary: `${failures.length} of ${total} public on org-wide topics${warnings.length ? `, ${warnings.length} more to look at` : ''}${note}`, findings: [...failures, ...warnings], advice: ADVICE };
    if (warnings.length) return { status: 'warn', summary: `${plural(warnings.length, 'channel')} public, of unknown privacy, or private without an access token${note}`, findings: warnings, advice: ADVICE };
    return {
      status: 'pass',
      summary: stats.channels.length ? `all ${total} private, and the client gives Realtime an access token (${stats.authSignals[0]?.what ?? ''}, ${stats.authSignals[0]?.at.file}:${stats.authSignals[0]?.at.line})${note}` : `no channels found${note}`,
    };
  },
};

const ADVICE =
  'A public channel is joined with nothing but the anon / publishable key, which every widget ships to every visitor, so anyone can ' +
  'join any topic and read what is broadcast there. Realtime Authorization closes it: create channels with ' +
  "supabase.channel(topic, { config: { private: true } }), give every visitor a session (Supabase anonymous sign-ins work for widgets; " +
  'supabase-js forwards the session token to Realtime, or call supabase.realtime.setAuth(token)), and write RLS policies on ' +
  'realtime.messages — FOR SELECT to receive, FOR INSERT to send — that admit a topic (realtime.topic()) only to sessions of that ' +
  "organisation or conversation (claims in current_setting('request.jwt.claims')). Then turn off 'Allow public access' in the " +
  "project's Realtime settings so public joins are refused. Needs supabase-js 2.44.0 or later (Supabase docs: Realtime Authorization).";
