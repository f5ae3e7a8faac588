/** One segment of a route's path pattern. */
export type PatternSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'rest' };

const PARAM = /^:[A-Za-z_][A-Za-z0-9_]*$/;
const LITERAL = /^[A-Za-z0-9\-._~!$&'()+,;=@]+$/;

/**
 * Parses a path pattern: literal segments, `:param` (one segment), `*` (one segment) and
 * `**` (any rest, last only). Throws an Error saying what is wrong.
 *
 * @example parsePathPattern('/api/orders/:id') // literal api, literal orders, param id
 */
export function parsePathPattern(pattern: string): PatternSegment[] {
  if (!pattern.startsWith('/')) throw new Error('must start with /');
  if (pattern === '/') return [];
  const parts = pattern.slice(1).split('/');
  return parts.map((part, index) => {
    if (part === '') throw new Error('has an empty segment (// or a trailing /)');
    if (part === '**') {
      if (index !== parts.length - 1) throw new Error('may use ** only as its last segment');
      return { kind: 'rest' };
    }
    if (part === '*') return { kind: 'star' };
    if (part.startsWith(':')) {
      if (!PARAM.test(part)) throw new Error(`has a bad parameter ${part} (use :name)`);
      return { kind: 'param', name: part.slice(1) };
    }
    if (part === '.' || part === '..') throw new Error('may not contain . or .. segments');
    if (!LITERAL.test(part)) throw new Error(`has a segment with characters not allowed in a path: ${part}`);
    return { kind: 'literal', value: part };
  });
}

const single = (segment: PatternSegment) => segment.kind === 'param' || segment.kind === 'star';

/** Whether every path `inner` matches is also matched by `outer`. */
export function patternCovers(outer: readonly PatternSegment[], inner: readonly PatternSegment[]): boolean {
  for (let i = 0; i < outer.length; i++) {
    const a = outer[i] as PatternSegment;
    if (a.kind === 'rest') return true;
    const b = inner[i];
    if (!b || b.kind === 'rest') return false;
    if (a.kind === 'literal' && !(b.kind === 'literal' && b.value === a.value)) return false;
    if (single(a) && !(b.kind === 'literal' || single(b))) return false;
  }
  return outer.length === inner.length;
}
