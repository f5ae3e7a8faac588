import { type RuleSetDocument, checkRuleSet } from '../../../strangler/src/rules';

/** The two sides of the comparison: the facade routes the product reads to one or the other. */
export const SIDES = ['monolith', 'catalog'] as const;
export type Side = (typeof SIDES)[number];

/**
 * The product reads the catalog takes over (`GET`/`HEAD`), and its liveness route for the `floor`
 * kind (on the other side it reaches the monolith's); everything else stays with legacy.
 */
export const CATALOG_ROUTES = [
  { id: 'catalog-products', path: '/api/products' },
  { id: 'catalog-product', path: '/api/products/:productId' },
  { id: 'catalog-liveness', path: '/health/live' },
] as const;

/**
 * The facade's rules for one side: `monolith` is the starting rule set (no routes: everything
 * to legacy); `catalog` moves the product reads to the catalog (`live`). Checked like any rule
 * set (no error, no warning).
 */
export function facadeRules(side: Side, urls: { legacyUrl: string; catalogUrl: string }): RuleSetDocument {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: urls.legacyUrl }, catalog: { url: urls.catalogUrl } },
    routes:
      side === 'monolith'
        ? []
        : CATALOG_ROUTES.map(({ id, path }) => ({
            id,
            match: { path, methods: ['GET' as const, 'HEAD' as const] },
            target: 'catalog',
            mode: 'live' as const,
          })),
  });
  if (!check.ok) throw new Error(`the ${side} rules are invalid:\n${check.errors.join('\n')}`);
  if (check.warnings.length > 0) throw new Error(`the ${side} rules warn:\n${check.warnings.join('\n')}`);
  return check.ruleSet;
}
