import { type PatternSegment, foldAsciiCase, foldPatternCase } from './path-pattern';

/** What a route needs besides its path: checked only for routes whose path matched. */
export interface RouteConditions {
  readonly methods?: ReadonlySet<string>;
  readonly headers?: readonly (readonly [string, string])[];
  readonly query?: readonly (readonly [string, string])[];
  readonly cookies?: readonly (readonly [string, string])[];
}

/** The request as the conditions see it. */
export interface RequestView {
  readonly method: string;
  header(name: string): string | undefined;
  queryParam(name: string): string | undefined;
  cookie(name: string): string | undefined;
}

/** How the upstreams' routers read a path (the rules' `pathMatching`, defaults applied). */
export interface PathMatchOptions {
  /** Literal segments match only in their own case. */
  readonly caseSensitive: boolean;
  /** A path with a trailing slash matches no pattern that ends without `**`. */
  readonly strictTrailingSlash: boolean;
}

interface TrieNode {
  readonly literals: Map<string, TrieNode>;
  single?: TrieNode;
  /** Routes whose pattern ends here (by order in the table). */
  readonly ends: number[];
  /** Routes whose pattern ends with `**` here. */
  readonly rests: number[];
}

const node = (): TrieNode => ({ literals: new Map(), ends: [], rests: [] });

function conditionsHold(conditions: RouteConditions, request: RequestView): boolean {
  if (conditions.methods && !conditions.methods.has(request.method)) return false;
  if (conditions.headers)
    for (const [k, v] of conditions.headers) if (!valueMatches(request.header(k), v)) return false;
  if (conditions.query)
    for (const [k, v] of conditions.query) if (!valueMatches(request.queryParam(k), v)) return false;
  if (conditions.cookies)
    for (const [k, v] of conditions.cookies) if (!valueMatches(request.cookie(k), v)) return false;
  return true;
}

/** `*` asks only that the value be there; anything else must be equal. */
function valueMatches(actual: string | undefined, wanted: string): boolean {
  return actual !== undefined && (wanted === '*' || actual === wanted);
}

/**
 * The route table compiled into a trie of path segments. A lookup walks only the
 * branches the path can take (literal, `:param`/`*`, `**`), so its cost depends on the
 * path, not on the number of routes; among the routes found, the first in table order
 * whose conditions hold wins. Unless `caseSensitive`, literals are compared case-folded.
 */
export class RouteMatcher {
  private readonly root = node();
  private readonly options: PathMatchOptions;

  constructor(
    private readonly routes: readonly { pattern: readonly PatternSegment[]; conditions: RouteConditions }[],
    options: Partial<PathMatchOptions> = {},
  ) {
    this.options = {
      caseSensitive: options.caseSensitive ?? false,
      strictTrailingSlash: options.strictTrailingSlash ?? false,
    };
    routes.forEach((route, index) =>
      this.insert(this.options.caseSensitive ? route.pattern : foldPatternCase(route.pattern), index),
    );
  }

  private insert(pattern: readonly PatternSegment[], index: number): void {
    let current = this.root;
    for (const segment of pattern) {
      if (segment.kind === 'rest') {
        current.rests.push(index);
        return;
      }
      if (segment.kind === 'literal') {
        let next = current.literals.get(segment.value);
        if (!next) {
          next = node();
          current.literals.set(segment.value, next);
        }
        current = next;
      } else {
        current.single ??= node();
        current = current.single;
      }
    }
    current.ends.push(index);
  }

  /**
   * The index of the first route (in table order) matching the request, or -1. `trailingSlash`
   * says whether the path ended with `/` (its empty segments are not in `segments`).
   */
  match(segments: readonly string[], request: RequestView, trailingSlash = false): number {
    const path = this.options.caseSensitive ? segments : segments.map(foldAsciiCase);
    // A strict router serves a path with a trailing slash only where the route takes any rest.
    const exactEnds = !(trailingSlash && this.options.strictTrailingSlash);
    let best = -1;
    const consider = (candidates: readonly number[]) => {
      for (const index of candidates) {
        if (best !== -1 && index >= best) return;
        const route = this.routes[index];
        if (route && conditionsHold(route.conditions, request)) {
          best = index;
          return;
        }
      }
    };
    const walk = (current: TrieNode, depth: number) => {
      if (current.rests.length > 0) consider(current.rests);
      if (depth === path.length) {
        if (exactEnds) consider(current.ends);
        return;
      }
      const literal = current.literals.get(path[depth] as string);
      if (literal) walk(literal, depth + 1);
      if (current.single) walk(current.single, depth + 1);
    };
    walk(this.root, 0);
    return best;
  }
}
