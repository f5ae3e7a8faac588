import type { JwtCodec } from '@app/auth';
import {
  type AwaitedKey,
  type CompiledConsistencyKey,
  type ConsistencyRequest,
  compileConsistencyKeys,
  resolveConsistencyKeys,
} from './consistency-keys';
import { parsePathPattern } from './path-pattern';
import { type PathMatchOptions, type RouteConditions, RouteMatcher } from './route-matcher';
import {
  DEFAULT_CASE_SENSITIVE,
  DEFAULT_ROUTE_TIMEOUT_MS,
  DEFAULT_STRICT_TRAILING_SLASH,
  type RouteRule,
  type RuleSetDocument,
} from './rule-set.schema';
import { inCanary, stickyBucket } from './sticky-hash';
import { type StickyBy, type StickyRequest, parseStickyBy, stickyKey } from './sticky-key';
import { resolveUpstreamUrls } from './upstream-overrides';

/** A request as routing sees it. */
export interface RoutingRequest extends StickyRequest {
  /** Decoded path segments (see `parseRequestPath`). */
  readonly segments: readonly string[];
  /** Whether the path ends with `/` (not the root): only a `strictTrailingSlash` rule set minds. */
  readonly trailingSlash?: boolean;
}

/** Where a request goes, and why. */
export interface RoutingDecision {
  /** The route that matched, if any. */
  readonly route: RouteRule | undefined;
  /** The upstream chosen: the route's target, or legacy. */
  readonly upstream: string;
  readonly legacy: string;
  readonly side: 'target' | 'legacy';
  /** Why, for people (`explain`). */
  readonly reason: string;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Whether the route asks to fall back to legacy when its target fails. */
  readonly fallback: boolean;
}

interface CompiledRoute {
  readonly rule: RouteRule;
  readonly stickyBy?: StickyBy;
  /** Callers of a group share one split, so a caller is on one side for the whole capability. */
  readonly cohort: string;
}

const toPairs = (values?: Record<string, string>, lowerKeys = false) =>
  values && Object.keys(values).length > 0
    ? Object.entries(values).map(([key, value]) => [lowerKeys ? key.toLowerCase() : key, value] as const)
    : undefined;

/**
 * A checked rules document, compiled: the route matcher, each upstream's URLs (with the
 * environment's overrides), and the split of canary routes. Immutable, so an instance
 * swaps a whole new one in when the rules change; a request keeps the one it started with.
 */
export class CompiledRuleSet {
  readonly upstreamUrls: ReadonlyMap<string, readonly string[]>;
  /** How paths are matched: the document's `pathMatching`, defaults applied. */
  readonly pathMatching: PathMatchOptions;
  private readonly matcher: RouteMatcher;
  private readonly routes: readonly CompiledRoute[];

  constructor(
    readonly version: number,
    readonly document: RuleSetDocument,
    options: { overrides?: ReadonlyMap<string, readonly string[]>; jwt?: JwtCodec } = {},
  ) {
    this.upstreamUrls = resolveUpstreamUrls(document, options.overrides ?? new Map());
    this.jwt = options.jwt;
    this.routes = document.routes.map((rule) => ({
      rule,
      stickyBy: rule.stickyBy ? parseStickyBy(rule.stickyBy) : undefined,
      cohort: rule.group ? `group:${rule.group}` : `route:${rule.id}`,
    }));
    for (const rule of document.routes) {
      if (rule.consistency?.length) {
        this.consistency.set(rule, compileConsistencyKeys(rule.consistency, parsePathPattern(rule.match.path)));
      }
    }
    this.pathMatching = {
      caseSensitive: document.pathMatching?.caseSensitive ?? DEFAULT_CASE_SENSITIVE,
      strictTrailingSlash: document.pathMatching?.strictTrailingSlash ?? DEFAULT_STRICT_TRAILING_SLASH,
    };
    this.matcher = new RouteMatcher(
      document.routes.map((rule) => ({
        pattern: parsePathPattern(rule.match.path),
        conditions: {
          methods: rule.match.methods ? new Set(rule.match.methods) : undefined,
          headers: toPairs(rule.match.headers, true),
          query: toPairs(rule.match.query),
          cookies: toPairs(rule.match.cookies),
        } satisfies RouteConditions,
      })),
      this.pathMatching,
    );
  }

  private readonly jwt: JwtCodec | undefined;
  private readonly consistency = new Map<RouteRule, readonly CompiledConsistencyKey[]>();

  /**
   * The aggregates and collections an answer to `request` must reflect, by the `consistency`
   * of the route it matched; `undefined` when the route names none (or no route matched).
   */
  awaitedKeys(route: RouteRule | undefined, request: ConsistencyRequest): AwaitedKey[] | undefined {
    const keys = route && this.consistency.get(route);
    return keys ? resolveConsistencyKeys(keys, request, this.jwt) : undefined;
  }

  get legacy(): string {
    return this.document.legacy;
  }

  /** The route a request matches (first in table order), or undefined. */
  match(request: RoutingRequest): RouteRule | undefined {
    const index = this.matcher.match(request.segments, request, request.trailingSlash);
    return index === -1 ? undefined : this.routes[index]?.rule;
  }

  decide(request: RoutingRequest): RoutingDecision {
    const legacy = this.document.legacy;
    const index = this.matcher.match(request.segments, request, request.trailingSlash);
    const compiled = index === -1 ? undefined : this.routes[index];
    if (!compiled) {
      return {
        route: undefined,
        upstream: legacy,
        legacy,
        side: 'legacy',
        reason: 'no route matched',
        timeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
        retries: 0,
        fallback: false,
      };
    }
    const rule = compiled.rule;
    const timeoutMs = rule.timeoutMs ?? DEFAULT_ROUTE_TIMEOUT_MS;
    const retries = rule.retries ?? 0;
    const fallback = rule.fallback ?? false;
    // One object literal with every field: spreading a shared object costs microseconds per request on Node 20.
    const toTarget = (reason: string): RoutingDecision => ({
      route: rule,
      upstream: rule.target,
      legacy,
      side: 'target',
      reason,
      timeoutMs,
      retries,
      fallback,
    });
    const toLegacy = (reason: string): RoutingDecision => ({
      route: rule,
      upstream: legacy,
      legacy,
      side: 'legacy',
      reason,
      timeoutMs,
      retries,
      fallback,
    });
    switch (rule.mode) {
      case 'legacy':
        return toLegacy(`route ${rule.id} is in legacy mode`);
      case 'shadow':
        return toLegacy(`route ${rule.id} is in shadow mode: legacy answers`);
      case 'live':
        return toTarget(`route ${rule.id} is live on ${rule.target}`);
      case 'canary': {
        const percent = rule.percent ?? 0;
        const key = compiled.stickyBy ? stickyKey(compiled.stickyBy, request, this.jwt) : undefined;
        if (key === undefined)
          return toLegacy(`route ${rule.id} is a ${percent} % canary; the caller has no ${rule.stickyBy} key`);
        const bucket = stickyBucket(compiled.cohort, key);
        return inCanary(bucket, percent)
          ? toTarget(
              `route ${rule.id} is a ${percent} % canary; the caller's bucket ${bucket} is below ${Math.round(percent * 100)}`,
            )
          : toLegacy(
              `route ${rule.id} is a ${percent} % canary; the caller's bucket ${bucket} is not below ${Math.round(percent * 100)}`,
            );
      }
    }
  }
}
