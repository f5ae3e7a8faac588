import type { PatternSegment } from './path-pattern';

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
 * whose conditions hold wins.
 */
export class RouteMatcher {
  private readonly root = node();

  constructor(private readonly routes: readonly { pattern: readonly PatternSegment[]; conditions: RouteConditions }[]) {
    routes.forEach((route, index) => this.insert(route.pattern, index));
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

  /** The index of the first route (in table order) matching the request, or -1. */
  match(segments: readonly string[], request: RequestView): number {
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
      if (depth === segments.length) {
        consider(current.ends);
        return;
      }
      const literal = current.literals.get(segments[depth] as string);
      if (literal) walk(literal, depth + 1);
      if (current.single) walk(current.single, depth + 1);
    };
    walk(this.root, 0);
    return best;
  }
}
