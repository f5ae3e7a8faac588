import type { JwtCodec } from '@app/auth';
import type { PatternSegment } from './path-pattern';
import type { RequestView } from './route-matcher';
import { jwtSubject } from './sticky-key';

/**
 * One entry of a route's `consistency` list: what an answer of the route must reflect.
 * `product:{id}` is the aggregate a path parameter names, `customer:{jwt.sub}` the caller's
 * own, `product:*` the collection (every aggregate of the type written lately).
 */
export const CONSISTENCY_KEY_FORMAT = /^([a-z][a-z0-9_-]{0,63}):(\*|\{(jwt\.sub|[A-Za-z_][A-Za-z0-9_]*)\})$/;

export const CONSISTENCY_KEY_HELP =
  'must be TYPE:{param} (a path parameter of the route), TYPE:{jwt.sub} (the caller) or TYPE:* (the collection), TYPE of a-z, 0-9, "_" and "-"';

/** Where a key's aggregate id comes from. */
type IdSource = { readonly kind: 'segment'; readonly index: number } | { readonly kind: 'jwt.sub' };

export type CompiledConsistencyKey =
  | { readonly aggregateType: string; readonly collection: true }
  | { readonly aggregateType: string; readonly collection: false; readonly id: IdSource };

/** A key resolved for one request: an aggregate, or a collection (`aggregateId` undefined). */
export interface AwaitedKey {
  readonly aggregateType: string;
  readonly aggregateId?: string;
}

/**
 * Compiles a route's `consistency` entries against its path pattern; throws an Error naming an
 * entry that is malformed or names a parameter the pattern lacks (`checkRuleSet` reports it).
 */
export function compileConsistencyKeys(
  entries: readonly string[],
  pattern: readonly PatternSegment[],
): CompiledConsistencyKey[] {
  return entries.map((entry) => {
    const parsed = CONSISTENCY_KEY_FORMAT.exec(entry);
    if (!parsed) throw new Error(`"${entry}" ${CONSISTENCY_KEY_HELP}`);
    const aggregateType = parsed[1] as string;
    const source = parsed[3];
    if (source === undefined) return { aggregateType, collection: true };
    if (source === 'jwt.sub') return { aggregateType, collection: false, id: { kind: 'jwt.sub' } };
    const index = pattern.findIndex((segment) => segment.kind === 'param' && segment.name === source);
    if (index === -1) {
      const params = pattern.flatMap((segment) => (segment.kind === 'param' ? [`:${segment.name}`] : []));
      throw new Error(
        `"${entry}" names {${source}}, which is not a parameter of the route's path (${params.join(', ') || 'it has none'})`,
      );
    }
    return { aggregateType, collection: false, id: { kind: 'segment', index } };
  });
}

/** The request as keys read it: its decoded path segments, and its headers for the caller's JWT. */
export interface ConsistencyRequest extends RequestView {
  readonly segments: readonly string[];
}

/**
 * The keys of one request. An aggregate whose id the request does not give (no valid bearer
 * token for `{jwt.sub}`) is left out: the answer then cannot concern it.
 */
export function resolveConsistencyKeys(
  keys: readonly CompiledConsistencyKey[],
  request: ConsistencyRequest,
  jwt: JwtCodec | undefined,
): AwaitedKey[] {
  const out: AwaitedKey[] = [];
  for (const key of keys) {
    if (key.collection) {
      out.push({ aggregateType: key.aggregateType });
      continue;
    }
    const id = key.id.kind === 'segment' ? request.segments[key.id.index] : jwtSubject(request, jwt);
    // Ids are compared in lower case, as positions carry them: a UUID spelled in capitals is the same aggregate.
    if (id) out.push({ aggregateType: key.aggregateType, aggregateId: id.toLowerCase() });
  }
  return out;
}
