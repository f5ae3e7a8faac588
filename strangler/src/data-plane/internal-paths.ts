import type { RoutingDecision } from '../rules';

/** The upstreams' own operational routes, which the public must not reach through the facade. */
export const DEFAULT_INTERNAL_PATHS: readonly string[] = Object.freeze(['/metrics', '/health/**', '/api-docs*/**']);

type InternalSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'rest' };

const SEGMENT = /^[a-z0-9\-._~!$&'()+,;=@:]+$/;

/**
 * Parses an internal path pattern: literal segments, `name*` (a segment that starts with
 * `name`), `*` (any one segment) and `**` (any rest, also none; last only), compared in any
 * case. Throws an Error saying what is wrong.
 */
export function parseInternalPath(pattern: string): InternalSegment[] {
  if (!pattern.startsWith('/')) throw new Error(`"${pattern}" must start with /`);
  const parts = pattern.slice(1).toLowerCase().split('/');
  return parts.map((part, index): InternalSegment => {
    if (part === '**') {
      if (index !== parts.length - 1) throw new Error(`"${pattern}" may use ** only as its last segment`);
      return { kind: 'rest' };
    }
    if (part === '*') return { kind: 'any' };
    const prefix = part.endsWith('*');
    const value = prefix ? part.slice(0, -1) : part;
    if (!SEGMENT.test(value) || value === '.' || value === '..')
      throw new Error(`"${pattern}" has a segment that is not a path segment, name* or * (${part || 'empty'})`);
    return { kind: prefix ? 'prefix' : 'literal', value };
  });
}

function covers(pattern: readonly InternalSegment[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as InternalSegment;
    if (part.kind === 'rest') return true;
    const segment = segments[i];
    if (segment === undefined) return false;
    if (part.kind === 'literal' && segment.toLowerCase() !== part.value) return false;
    if (part.kind === 'prefix' && !segment.toLowerCase().startsWith(part.value)) return false;
  }
  return pattern.length === segments.length;
}

/**
 * The internal paths (`STRANGLER_INTERNAL_PATHS`): a request whose path is one of them gets
 * `404 ROUTE_NOT_FOUND` from the facade, unless a route routes it explicitly.
 *
 * The path is the one routing decides on: the decoded segments of `parseRequestPath` (so percent-
 * encoding, empty segments and a trailing slash change nothing), compared in any case, as the
 * upstreams' routers (Express) compare.
 */
export class InternalPaths {
  private readonly patterns: readonly (readonly InternalSegment[])[];

  constructor(readonly sources: readonly string[] = DEFAULT_INTERNAL_PATHS) {
    this.patterns = sources.map(parseInternalPath);
  }

  /** Whether the path is internal. */
  covers(segments: readonly string[]): boolean {
    return this.patterns.some((pattern) => covers(pattern, segments));
  }

  /**
   * Whether the request must be refused: its path is internal and no route routes it explicitly.
   * A route counts only when its path starts with a literal segment (`/health/**`, not `/**` or
   * `/:any/**`): a catch-all route does not publish the upstreams' internals by accident.
   */
  refuses(segments: readonly string[], decision: RoutingDecision): boolean {
    if (!this.covers(segments)) return false;
    const first = decision.route?.match.path.split('/')[1];
    return first === undefined || first === '' || first === '*' || first === '**' || first.startsWith(':');
  }
}
