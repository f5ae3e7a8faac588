import { type RuleSetDocument, type RuleSetInput, checkRuleSet } from '../../../strangler/src/rules';

type RouteInput = NonNullable<RuleSetInput['routes']>[number];

const SERVICES = [
  'catalog',
  'orders',
  'payments',
  'inventory',
  'customers',
  'shipping',
  'reviews',
  'search',
  'wallet',
  'loyalty',
  'returns',
  'pricing',
  'promotions',
  'accounts',
  'notifications',
  'reports',
] as const;
const NOUNS = [
  'products',
  'orders',
  'invoices',
  'items',
  'addresses',
  'parcels',
  'reviews',
  'coupons',
  'cards',
  'tickets',
];
const SUBS = ['items', 'history', 'lines', 'events', 'notes', 'status'];

/** The path the HTTP benchmark asks for: it matches the route placed second to last in every table. */
export const MEASURED_PATH = '/api/orders/8812345/items?expand=product';
const MEASURED_PATTERN = '/api/orders/:orderId/items';

/**
 * The `i`-th generated route: a realistic, distinct path under one of 16 services
 * (`/api/<service>/<noun>-<n>[/:id[/<sub>]]` or `…/**`), with methods on some. No generated
 * route covers another, and none matches the measured path.
 */
export function generatedRoute(i: number): RouteInput {
  const service = SERVICES[i % SERVICES.length] as string;
  const round = Math.floor(i / SERVICES.length);
  const resource = `${NOUNS[round % NOUNS.length]}-${Math.floor(round / NOUNS.length)}`;
  const base = `/api/${service}/${resource}`;
  const shape = Math.floor(i / 7) % 4;
  const match: RouteInput['match'] =
    shape === 0
      ? { path: base, methods: ['GET', 'POST'] }
      : shape === 1
        ? { path: `${base}/:id`, methods: ['GET', 'PUT', 'DELETE'] }
        : shape === 2
          ? { path: `${base}/:id/${SUBS[i % SUBS.length]}` }
          : { path: `${base}/**` };
  return { id: `r${i}-${service}-${resource}`, match, target: 'legacy', mode: 'legacy' };
}

/** A request path that matches a generated route's pattern. */
export function pathFor(pattern: string): string {
  return pattern
    .split('/')
    .map((segment) => (segment === '**' ? 'a/b' : segment.startsWith(':') ? '4711' : segment))
    .join('/');
}

/**
 * A checked rules document of `count` routes, all to legacy (`legacyUrl`): generated routes,
 * with the route of {@link MEASURED_PATH} second to last (deep in the table).
 */
export function ruleTable(count: number, legacyUrl: string): RuleSetDocument {
  if (count < 2) throw new Error('a rule table needs at least 2 routes');
  const routes: RouteInput[] = [];
  for (let i = 0; i < count - 2; i++) routes.push(generatedRoute(i));
  routes.push({
    id: 'orders-items',
    match: { path: MEASURED_PATTERN, methods: ['GET', 'HEAD'] },
    target: 'legacy',
    mode: 'legacy',
  });
  routes.push(generatedRoute(count - 2));
  const check = checkRuleSet({ legacy: 'legacy', upstreams: { legacy: { url: legacyUrl } }, routes });
  if (!check.ok) throw new Error(`the generated rule table is invalid:\n${check.errors.join('\n')}`);
  if (check.warnings.length > 0) throw new Error(`the generated rule table warns:\n${check.warnings.join('\n')}`);
  return check.ruleSet;
}
