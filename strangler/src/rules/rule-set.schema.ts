import { z } from 'zod';
import { CONSISTENCY_KEY_FORMAT, CONSISTENCY_KEY_HELP } from './consistency-keys';

export const ROUTE_MODES = ['legacy', 'shadow', 'canary', 'live'] as const;
export type RouteMode = (typeof ROUTE_MODES)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const DEFAULT_ROUTE_TIMEOUT_MS = 10_000;

/** Literal segments match in any case, as Express (and so Nest) routes by default. */
export const DEFAULT_CASE_SENSITIVE = false;
/** One trailing slash is ignored (`/api/products/` is `/api/products`), as Express does by default. */
export const DEFAULT_STRICT_TRAILING_SLASH = false;

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const name = (what: string) =>
  z.string().regex(NAME, `${what} must be 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit`);

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash;
  } catch {
    return false;
  }
}, 'must be an http:// or https:// origin, such as http://127.0.0.1:3000 (no path, query or fragment)');

const circuitBreakerSchema = z.strictObject({
  /** Opens after this many failures in a row. */
  consecutiveFailures: z.int().min(1).max(1_000).default(5),
  /** Or when at least this share of the last `windowSize` requests failed. */
  errorRate: z.number().gt(0).max(1).default(0.5),
  windowSize: z.int().min(1).max(10_000).default(20),
  /** How long it stays open before letting one probe through (half-open). */
  openMs: z.int().min(1).max(3_600_000).default(5_000),
});

const upstreamSchema = z
  .strictObject({
    url: httpUrl.optional(),
    urls: z.array(httpUrl).min(1).max(64).optional(),
    circuitBreaker: circuitBreakerSchema.optional(),
  })
  .refine(
    (upstream) => Boolean(upstream.url) !== Boolean(upstream.urls),
    'give either url or urls, not both nor neither',
  );

const matchValues = z.record(z.string().min(1).max(256), z.string().max(4_096));

const guardSchema = z.strictObject({
  /** Moves the route back to legacy when this share of the target's answers are 5xx or failures… */
  maxErrorRate: z.number().gt(0).max(1).optional(),
  /** …or when the target's p99 latency passes this… */
  maxP99Ms: z.int().min(1).max(600_000).optional(),
  /** …measured over this window, once it holds at least `minRequests`. */
  windowMs: z.int().min(1_000).max(3_600_000).default(60_000),
  minRequests: z.int().min(1).max(1_000_000).default(20),
});

export const routeSchema = z.strictObject({
  id: name('id'),
  group: name('group').optional(),
  match: z.strictObject({
    methods: z.array(z.enum(HTTP_METHODS)).min(1).optional(),
    path: z.string().min(1).max(2_048),
    headers: matchValues.optional(),
    query: matchValues.optional(),
    cookies: matchValues.optional(),
  }),
  target: name('target'),
  mode: z.enum(ROUTE_MODES),
  percent: z.number().min(0).max(100).multipleOf(0.01).optional(),
  stickyBy: z
    .string()
    .regex(
      /^(jwt\.sub|ip|header:[A-Za-z0-9!#$%&'*+.^_`|~-]+|cookie:[^\s;=,]+)$/,
      'must be jwt.sub, ip, header:<name> or cookie:<name>',
    )
    .optional(),
  timeoutMs: z.int().min(1).max(600_000).optional(),
  retries: z.int().min(0).max(5).optional(),
  fallback: z.boolean().optional(),
  guard: guardSchema.optional(),
  /**
   * What an answer of this route must reflect (read-your-writes across sides): `TYPE:{param}`,
   * `TYPE:{jwt.sub}` or `TYPE:*` (see `consistency-keys.ts`).
   */
  consistency: z.array(z.string().regex(CONSISTENCY_KEY_FORMAT, CONSISTENCY_KEY_HELP)).max(16).optional(),
});

const PATH_MATCHING_OPTIONS = 'caseSensitive, strictTrailingSlash';

/**
 * How the upstreams' routers read a path, so that the facade decides on the path as they will
 * see it: a spelling the facade does not match goes to legacy, whose router must not take it for
 * a moved route. Absent options take the defaults, those of Express.
 */
const pathMatchingSchema = z.strictObject(
  {
    caseSensitive: z
      .boolean({
        error: `must be true or false (default ${DEFAULT_CASE_SENSITIVE}: literal segments match in any case, as Express routes)`,
      })
      .optional(),
    strictTrailingSlash: z
      .boolean({
        error: `must be true or false (default ${DEFAULT_STRICT_TRAILING_SLASH}: one trailing slash is ignored, as Express does)`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (allowed: ${PATH_MATCHING_OPTIONS})`
        : issue.code === 'invalid_type'
          ? `must be an object with ${PATH_MATCHING_OPTIONS}, such as { caseSensitive: false }`
          : undefined,
  },
);

/** The rules document, as in the rules file and in the store. */
export const ruleSetSchema = z.strictObject({
  legacy: name('legacy'),
  upstreams: z.record(name('upstream name'), upstreamSchema),
  routes: z.array(routeSchema).max(100_000).default([]),
  pathMatching: pathMatchingSchema.optional(),
});

export type RuleSetDocument = z.output<typeof ruleSetSchema>;
export type RuleSetInput = z.input<typeof ruleSetSchema>;
export type RouteRule = z.output<typeof routeSchema>;
export type CircuitBreakerSettings = z.output<typeof circuitBreakerSchema>;
export type GuardSettings = z.output<typeof guardSchema>;
export type PathMatching = z.output<typeof pathMatchingSchema>;
