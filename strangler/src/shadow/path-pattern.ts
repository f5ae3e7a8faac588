import type { JsonPath } from './json-path';

/** One segment of a pattern: a key, `*` (any one key or index) or `**` (any number of them). */
type PatternSegment =
  { readonly kind: 'name'; readonly name: string } | { readonly kind: 'any' } | { readonly kind: 'deep' };

/** Why a pattern is refused, or undefined. */
export function pathPatternProblem(pattern: string): string | undefined {
  if (pattern.trim() !== pattern || pattern === '') return 'a pattern is a dotted path, without spaces at its ends';
  const segments = pattern.split('.');
  if (segments.some((segment) => segment === '')) return `"${pattern}" has an empty segment`;
  if (segments.at(-1) === '**') return `"${pattern}" ends with **; name what to ignore below it, or end with *`;
  return undefined;
}

/**
 * Paths of a JSON document to leave out of a comparison, written as dotted names: `createdAt`
 * (at the top), `items.*.id` (`*`: any one key or array index), `**.updatedAt` (`**`: at any
 * depth). A pattern matches a path and everything below it.
 *
 * @example
 * new PathPattern('items.*.id').matches(['items', 3, 'id']) // true
 * new PathPattern('**.updatedAt').matches(['customer', 'updatedAt']) // true
 */
export class PathPattern {
  private readonly segments: readonly PatternSegment[];

  constructor(readonly source: string) {
    const problem = pathPatternProblem(source);
    if (problem) throw new Error(problem);
    this.segments = source
      .split('.')
      .map((segment) =>
        segment === '**' ? { kind: 'deep' } : segment === '*' ? { kind: 'any' } : { kind: 'name', name: segment },
      );
  }

  /** Whether `path` is this pattern's place or below it. */
  matches(path: JsonPath): boolean {
    return this.matchFrom(0, path, 0);
  }

  private matchFrom(at: number, path: JsonPath, from: number): boolean {
    if (at === this.segments.length) return true; // everything below a matched place is left out too
    if (from === path.length) return false;
    const segment = this.segments[at]!;
    if (segment.kind === 'deep') {
      for (let skip = from; skip < path.length; skip++) if (this.matchFrom(at + 1, path, skip)) return true;
      return false;
    }
    const here = path[from]!;
    if (segment.kind === 'name' && String(here) !== segment.name) return false;
    return this.matchFrom(at + 1, path, from + 1);
  }
}

/** Whether any of `patterns` matches `path`. */
export function matchesAny(patterns: readonly PathPattern[], path: JsonPath): boolean {
  return patterns.some((pattern) => pattern.matches(path));
}
