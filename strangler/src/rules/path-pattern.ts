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

/**
 * `value` with its ASCII letters lower-cased and nothing else: how a case-insensitive Express
 * route compares (a RegExp with the `i` flag and no `u`, which never folds a non-ASCII letter,
 * such as the Kelvin sign, into an ASCII one). Pattern literals are ASCII.
 */
export function foldAsciiCase(value: string): string {
  return /[A-Z]/.test(value) ? value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : value;
}

/** The pattern with its literal segments case-folded (see {@link foldAsciiCase}), for a router that ignores case. */
export function foldPatternCase(pattern: readonly PatternSegment[]): PatternSegment[] {
  return pattern.map((segment) =>
    segment.kind === 'literal' ? { kind: 'literal', value: foldAsciiCase(segment.value) } : segment,
  );
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
