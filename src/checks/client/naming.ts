import { DEFAULT_CHANNEL_NAMING, type ChannelNaming } from '../../client/config.js';
import type { StaticValue } from '../../client/stats.js';
import type { CampfireConfig } from '../../config.js';

export type TopicKind = 'orgWide' | 'conversation';

export type NameVerdict =
  | { ok: true; kind: TopicKind }
  | { ok: false; why: string }
  | { ok: 'unknown'; why: string; kind: TopicKind | null };

interface Pattern { kind: TopicKind; text: string; re: RegExp; example: string }

/** The configured (or the guide's) channel naming, compiled: `{name}` is one segment without `:`. */
export class Naming {
  readonly prefix: string;
  readonly patterns: Pattern[];

  constructor(config: CampfireConfig) {
    const naming: ChannelNaming = config.channels ?? DEFAULT_CHANNEL_NAMING;
    this.prefix = naming.prefix;
    const compile = (kind: TopicKind) => (text: string): Pattern => ({
      kind, text,
      re: new RegExp(`^${text.split(/\{[A-Za-z_]\w*\}/).map(escapeRegExp).join('[^:]+')}$`),
      example: text.replace(/\{[A-Za-z_]\w*\}/g, 'x'),
    });
    this.patterns = [...naming.conversation.map(compile('conversation')), ...naming.orgWide.map(compile('orgWide'))];
  }

  get text(): string {
    const all = this.patterns.map((p) => p.text);
    return all.length > 1 ? `${all.slice(0, -1).join(', ')} or ${all.at(-1)}` : (all[0] ?? '');
  }

  /** Judges one channel name; a template is judged by its fixed parts, each `${…}` standing for one segment. */
  judge(name: StaticValue): NameVerdict {
    if (name.kind === 'member' || name.kind === 'dynamic') return { ok: 'unknown', why: 'name is computed at run time', kind: null };
    if (name.kind === 'literal') return this.concrete(name.text);
    const first = this.concrete(name.quasis.join('x'));
    if (first.ok === true) return first;
    // Could some value of the holes (which may contain ':') produce a valid name?
    const re = new RegExp(`^${name.quasis.map(escapeRegExp).join('.+')}$`);
    const could = this.patterns.filter((p) => re.test(this.prefix + p.example));
    if (could.length) {
      const kinds = new Set(could.map((p) => p.kind));
      return { ok: 'unknown', why: 'depends on the values interpolated into the template', kind: kinds.size === 1 ? (could[0] as Pattern).kind : null };
    }
    return first;
  }

  private concrete(text: string): NameVerdict {
    if (!text.startsWith(this.prefix)) return { ok: false, why: `missing the ${this.prefix} prefix` };
    const rest = text.slice(this.prefix.length);
    const hit = this.patterns.find((p) => p.re.test(rest));
    return hit ? { ok: true, kind: hit.kind } : { ok: false, why: `does not follow ${this.text}` };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
