import { DEFAULT_CONSISTENCY_TTL_MINUTES } from '../../../strangler/src/config/consistency.config';
import { type RuleSetDocument, type RouteRule, checkRuleSet } from '../../../strangler/src/rules';

/** The two sides of the comparison: the facade routes the product reads to one or the other. */
export const SIDES = ['monolith', 'catalog'] as const;
export type Side = (typeof SIDES)[number];

/** The catalog side without and with consistency (positions of writes awaited by the reads). */
export const VARIANTS = ['off', 'on'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Every data plane of the facade's process: one per side, one per consistency variant. */
export const PLANES = ['monolith', 'catalog', 'consistencyOff', 'consistencyOn'] as const;
export type Plane = (typeof PLANES)[number];

export const VARIANT_PLANE: Record<Variant, Plane> = { off: 'consistencyOff', on: 'consistencyOn' };

/**
 * The product reads the catalog takes over (`GET`/`HEAD`), and its liveness route for the `floor`
 * kind (on the other side it reaches the monolith's); everything else stays with legacy. With
 * consistency on, each read names what its answers concern, as the stage files do.
 */
export const CATALOG_ROUTES = [
  { id: 'catalog-products', path: '/api/products', consistency: ['product:*'] },
  { id: 'catalog-product', path: '/api/products/:productId', consistency: ['product:{productId}'] },
  { id: 'catalog-liveness', path: '/health/live', consistency: [] },
] as const;

/**
 * How far back the product collection's writes are awaited: the longest
 * `STRANGLER_CONSISTENCY_WINDOW_MS` allows, so that the writes made before measuring stay in the
 * window for the whole run (the default, 60 s, would drop them after the first minute). The
 * aggregates' positions are kept for the default `STRANGLER_CONSISTENCY_TTL_MINUTES`.
 */
export const CONSISTENCY_WINDOW_MS = 3_600_000;
export const CONSISTENCY_TTL_MS = DEFAULT_CONSISTENCY_TTL_MINUTES * 60_000;

/**
 * The monolith's liveness route for the `floor` kind: the data plane answers `/health/**` itself
 * (404, an internal path) unless a route names it, so the starting rules get this one route.
 */
const MONOLITH_LIVENESS = {
  id: 'legacy-liveness',
  match: { path: '/health/live', methods: ['GET' as const, 'HEAD' as const] },
  target: 'legacy',
  mode: 'live' as const,
};

/** The write made before measuring, on legacy (`inventory-adjust-stock` of the stage files). */
export const STOCK_WRITE_ROUTE = { id: 'legacy-adjust-stock', path: '/api/products/:productId/stock-adjustments' };

function catalogRoutes(consistency: boolean): RouteRule[] {
  const keys = (entries: readonly string[]) => (consistency && entries.length > 0 ? { consistency: [...entries] } : {});
  return [
    {
      id: STOCK_WRITE_ROUTE.id,
      match: { path: STOCK_WRITE_ROUTE.path, methods: ['POST'] },
      target: 'legacy',
      mode: 'live',
      retries: 0,
      fallback: false,
      ...keys(['product:{productId}']),
    },
    ...CATALOG_ROUTES.map(({ id, path, consistency: entries }) => ({
      id,
      match: { path, methods: ['GET' as const, 'HEAD' as const] },
      target: 'catalog',
      mode: 'live' as const,
      ...keys(entries),
    })),
  ];
}

/**
 * The facade's rules for one plane: `monolith` is the starting rule set (everything to legacy),
 * with a route for its liveness (`floor`); `catalog` moves the product reads to the catalog (`live`); `consistencyOff` and
 * `consistencyOn` do the same with the stock adjustment's write route on legacy, `consistencyOn`
 * with the `consistency` keys of the stage files. Checked like any rule set (no error, no warning).
 */
export function facadeRules(plane: Plane, urls: { legacyUrl: string; catalogUrl: string }): RuleSetDocument {
  const routes =
    plane === 'monolith'
      ? [MONOLITH_LIVENESS]
      : plane === 'catalog'
        ? catalogRoutes(false).slice(1)
        : catalogRoutes(plane === 'consistencyOn');
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: urls.legacyUrl }, catalog: { url: urls.catalogUrl } },
    routes,
  });
  if (!check.ok) throw new Error(`the ${plane} rules are invalid:\n${check.errors.join('\n')}`);
  if (check.warnings.length > 0) throw new Error(`the ${plane} rules warn:\n${check.warnings.join('\n')}`);
  return check.ruleSet;
}
