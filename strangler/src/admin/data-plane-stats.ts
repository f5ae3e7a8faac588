import type { RoutingDecision } from '../rules';

/**
 * What the admin plane reads from the data plane. The shapes are those of the data plane's
 * `DataPlane` (`createDataPlane()`), so that object is passed as it is.
 */

/** Requests of one route over the window, by the upstream that answered. */
export interface RouteTrafficCounts {
  /** The route id, or `-` for requests no route matched. */
  readonly route: string;
  readonly total: number;
  readonly upstreams: Readonly<Record<string, number>>;
}

export interface TrafficSplitCounts {
  /** The span counted, in whole minutes up to now. */
  readonly minutes: number;
  /** Start of the span (ISO 8601). */
  readonly since: string;
  readonly routes: readonly RouteTrafficCounts[];
}

/** A route its guard has moved back to legacy for now. */
export interface TrippedRoute {
  readonly route: string;
  readonly target: string;
  /** Which limit was crossed. */
  readonly reason: string;
  /** ISO 8601. */
  readonly since: string;
}

/** An upstream's circuit breaker. */
export interface CircuitStatusView {
  readonly upstream: string;
  readonly state: string;
  readonly since: string;
}

/** Where a keyed write's `Idempotency-Key` is pinned, and for how long yet. */
export interface IdempotencyPinView {
  readonly upstream: string;
  readonly expiresInMs: number;
}

export interface DataPlaneStats {
  /** Requests per route by upstream over the last `minutes` minutes. */
  trafficSplit(minutes?: number): TrafficSplitCounts;
  /** The routes their guard has moved back to legacy, now. */
  trippedRoutes(): readonly TrippedRoute[];
  /** The upstreams' circuit breakers. */
  circuits?(): readonly CircuitStatusView[];
  /** A keyed write's pin: `null` while its key is free, `undefined` for a request that takes none. */
  idempotencyPin?(
    method: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<IdempotencyPinView | null | 'unavailable' | undefined>;
  /** Whether the data plane answers this path `404 ROUTE_NOT_FOUND` as internal, given the rules' decision. */
  refusesInternal?(segments: readonly string[], decision: RoutingDecision): boolean;
}

/** Stats of a data plane that saw nothing (an admin plane on its own, or tests). */
export const NO_DATA_PLANE_STATS: DataPlaneStats = {
  trafficSplit: (minutes = 5) => ({
    minutes,
    since: new Date(Date.now() - minutes * 60_000).toISOString(),
    routes: [],
  }),
  trippedRoutes: () => [],
  circuits: () => [],
};
