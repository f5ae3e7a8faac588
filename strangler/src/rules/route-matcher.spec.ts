import { CompiledRuleSet } from './compiled-rule-set';
import { checkRuleSet } from './check-rule-set';
import { parsePathPattern } from './path-pattern';
import { type RequestView, RouteMatcher } from './route-matcher';
import type { RuleSetInput } from './rule-set.schema';
import { toRoutingRequest } from './routing-request';

type RouteInput = NonNullable<RuleSetInput['routes']>[number];
type Headers = Record<string, string | string[]>;

/** A compiled rule set of live routes to `svc`, each given as [id, match]. */
function rules(...routes: [string, RouteInput['match']][]): CompiledRuleSet {
  return rulesMatching(undefined, ...routes);
}

/** The same, with the document's `pathMatching`. */
function rulesMatching(
  pathMatching: RuleSetInput['pathMatching'],
  ...routes: [string, RouteInput['match']][]
): CompiledRuleSet {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, svc: { url: 'http://127.0.0.1:3001' } },
    routes: routes.map(([id, match]) => ({ id, match, target: 'svc', mode: 'live' })),
    ...(pathMatching ? { pathMatching } : {}),
  } satisfies RuleSetInput);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return new CompiledRuleSet(1, check.ruleSet);
}

/** The id of the route a request matches, or `legacy` when none does. */
function matched(ruleSet: CompiledRuleSet, method: string, target: string, headers: Headers = {}): string {
  const parsed = toRoutingRequest(method, target, headers, '203.0.113.7');
  if (!parsed.ok) throw new Error(parsed.reason);
  return ruleSet.match(parsed.request)?.id ?? 'legacy';
}

describe('route matching', () => {
  describe('methods', () => {
    const ruleSet = rules(['reads', { path: '/api/orders', methods: ['GET', 'HEAD'] }], ['any', { path: '/api/any' }]);

    it.each([
      ['GET', '/api/orders', 'reads'],
      ['get', '/api/orders', 'reads'], // methods are compared upper-cased
      ['HEAD', '/api/orders', 'reads'],
      ['POST', '/api/orders', 'legacy'],
      ['DELETE', '/api/orders', 'legacy'],
      ['POST', '/api/any', 'any'],
      ['OPTIONS', '/api/any', 'any'],
    ])('%s %s → %s', (method, target, id) => {
      expect(matched(ruleSet, method, target)).toBe(id);
    });
  });

  describe('path patterns', () => {
    const ruleSet = rules(
      ['root', { path: '/' }],
      ['orders', { path: '/api/orders' }],
      ['order', { path: '/api/orders/:id' }],
      ['items', { path: '/api/*/:id/items' }],
      ['products', { path: '/api/products/**' }],
      ['static', { path: '/static/**' }],
    );

    it.each([
      ['/', 'root'],
      ['/?x=1', 'root'],
      ['/api/orders', 'orders'],
      ['/api/orders/', 'orders'], // empty segments do not count
      ['//api//orders', 'orders'],
      ['/api/%6Frders', 'orders'], // segments are matched decoded
      ['/api/orders?page=2', 'orders'],
      ['/api/order', 'legacy'],
      ['/api/ordersx', 'legacy'],
      ['/API/orders', 'orders'], // literals match in any case by default, as Express routes
      ['/api/orders/42', 'order'],
      ['/api/orders/a%20b', 'order'],
      ['/api/orders/42/x', 'legacy'],
      ['/api/orders/42/items', 'items'],
      ['/api/customers/7/items', 'items'],
      ['/api/customers/7/items/1', 'legacy'],
      ['/api/products', 'products'], // ** matches zero segments
      ['/api/products/', 'products'],
      ['/api/products/1', 'products'],
      ['/api/products/1/reviews/2', 'products'],
      ['/api/productsx', 'legacy'],
      ['/api', 'legacy'],
      ['/static/css/site.css', 'static'],
      ['/other', 'legacy'],
      ['http://evil.example/api/orders/42', 'order'], // the host does not matter
    ])('GET %s → %s', (target, id) => {
      expect(matched(ruleSet, 'GET', target)).toBe(id);
    });

    it('lets /** match every path, the root too', () => {
      const all = rules(['all', { path: '/**' }]);
      expect(['/', '/a', '/a/b/c?d'].map((target) => matched(all, 'GET', target))).toEqual(['all', 'all', 'all']);
    });
  });

  describe('spellings: the path as the upstream router reads it (pathMatching)', () => {
    const routes: [string, RouteInput['match']][] = [
      ['root', { path: '/' }],
      ['orders', { path: '/api/orders' }],
      ['order', { path: '/api/orders/:id' }],
      ['deposits', { path: '/api/customers/:id/Deposits' }],
      ['products', { path: '/api/products/**' }],
      ['kit', { path: '/kit' }],
    ];
    const byDefault = rules(...routes);
    const caseSensitive = rulesMatching({ caseSensitive: true }, ...routes);
    const strict = rulesMatching({ strictTrailingSlash: true }, ...routes);
    const both = rulesMatching({ caseSensitive: true, strictTrailingSlash: true }, ...routes);

    it.each([
      // target, by default (as Express), caseSensitive, strictTrailingSlash, both
      ['/api/orders', 'orders', 'orders', 'orders', 'orders'],
      ['/API/ORDERS', 'orders', 'legacy', 'orders', 'legacy'],
      ['/Api/Orders/7', 'order', 'legacy', 'order', 'legacy'],
      ['/api/orders/AbC', 'order', 'order', 'order', 'order'], // a parameter takes any case anyway
      ['/api/customers/7/deposits', 'deposits', 'legacy', 'deposits', 'legacy'], // a literal in the pattern's own case
      ['/api/customers/7/DEPOSITS', 'deposits', 'legacy', 'deposits', 'legacy'],
      ['/api/customers/7/Deposits', 'deposits', 'deposits', 'deposits', 'deposits'],
      ['/api/orders/', 'orders', 'orders', 'legacy', 'legacy'],
      ['/API/orders/', 'orders', 'legacy', 'legacy', 'legacy'],
      ['/api/orders/7/', 'order', 'order', 'legacy', 'legacy'],
      ['/api/orders/?x=1', 'orders', 'orders', 'legacy', 'legacy'],
      ['/api/orders?x=/', 'orders', 'orders', 'orders', 'orders'], // a slash in the query is no trailing slash
      ['/', 'root', 'root', 'root', 'root'],
      ['/api/products/', 'products', 'products', 'products', 'products'], // ** takes any rest, a slash too
      ['/API/Products/1/', 'products', 'legacy', 'products', 'legacy'],
      // percent-encoded unreserved characters are decoded before matching, then case-folded
      ['/%61pi/%6F%72%64%65%72%73', 'orders', 'orders', 'orders', 'orders'],
      ['/%41PI/orders', 'orders', 'legacy', 'orders', 'legacy'],
      ['/api/%6frders/%37', 'order', 'order', 'order', 'order'],
      ['/api/orders%2D', 'legacy', 'legacy', 'legacy', 'legacy'],
      ['/%7Ekit', 'legacy', 'legacy', 'legacy', 'legacy'],
      // only ASCII letters fold, as in an Express route (RegExp with i, without u): not the Kelvin sign
      ['/%E2%84%AAit', 'legacy', 'legacy', 'legacy', 'legacy'],
      ['/KIT', 'kit', 'legacy', 'kit', 'legacy'],
    ])('GET %s → %s by default, %s case-sensitive, %s strict, %s both', (target, ...expected) => {
      const got = [byDefault, caseSensitive, strict, both].map((ruleSet) => matched(ruleSet, 'GET', target));
      expect(got).toEqual(expected);
    });

    it('says how it matches, defaults applied', () => {
      expect([byDefault.pathMatching, both.pathMatching]).toEqual([
        { caseSensitive: false, strictTrailingSlash: false },
        { caseSensitive: true, strictTrailingSlash: true },
      ]);
    });
  });

  describe('headers, query and cookies', () => {
    const ruleSet = rules(
      ['tenant', { path: '/api/x', headers: { 'X-Tenant': 'acme' } }],
      ['traced', { path: '/api/x', headers: { 'x-trace': '*' } }],
      ['beta-query', { path: '/api/x', query: { beta: '1' } }],
      ['any-query', { path: '/api/x', query: { preview: '*' } }],
      ['beta-cookie', { path: '/api/x', cookies: { beta: 'yes' } }],
      ['any-cookie', { path: '/api/x', cookies: { session: '*' } }],
      ['both', { path: '/api/y', headers: { 'x-a': '1' }, query: { b: '2' } }],
    );

    it.each<[string, string, Headers, string]>([
      ['no condition holds', '/api/x', {}, 'legacy'],
      ['a header name in another case', '/api/x', { 'x-tenant': 'acme' }, 'tenant'],
      ['a header value in another case', '/api/x', { 'x-tenant': 'ACME' }, 'legacy'],
      ['another header value', '/api/x', { 'x-tenant': 'other' }, 'legacy'],
      ['a repeated header (first value)', '/api/x', { 'x-tenant': ['acme', 'other'] }, 'tenant'],
      ['a header asked with * and present', '/api/x', { 'x-trace': 'abc' }, 'traced'],
      ['a header asked with * and empty', '/api/x', { 'x-trace': '' }, 'traced'],
      ['a query value', '/api/x?beta=1', {}, 'beta-query'],
      ['a query value among others', '/api/x?a=0&beta=1', {}, 'beta-query'],
      ['a percent-encoded query value', '/api/x?be%74a=%31', {}, 'beta-query'],
      ['another query value', '/api/x?beta=2', {}, 'legacy'],
      ['a query parameter asked with *', '/api/x?preview', {}, 'any-query'],
      ['a cookie value', '/api/x', { cookie: 'beta=yes' }, 'beta-cookie'],
      ['a cookie value among others', '/api/x', { cookie: 'session=abc;beta=yes' }, 'beta-cookie'],
      ['another cookie value', '/api/x', { cookie: 'beta=no' }, 'legacy'],
      ['a cookie asked with *', '/api/x', { cookie: 'theme=dark; session=s1' }, 'any-cookie'],
      ['a cookie-like header that is not a cookie', '/api/x', { 'x-cookie': 'beta=yes' }, 'legacy'],
      ['all conditions of a route', '/api/y?b=2', { 'x-a': '1' }, 'both'],
      ['only some conditions of a route', '/api/y?b=2', {}, 'legacy'],
      ['only the other conditions of a route', '/api/y', { 'x-a': '1' }, 'legacy'],
    ])('%s', (_name, target, headers, id) => {
      expect(matched(ruleSet, 'GET', target, headers)).toBe(id);
    });
  });

  describe('precedence: the first route in table order wins', () => {
    it.each<[string, [string, RouteInput['match']][], string, Headers, string]>([
      [
        'a broad route before a specific one',
        [
          ['broad', { path: '/api/**' }],
          ['specific', { path: '/api/orders/:id', methods: ['GET'] }],
        ],
        '/api/orders/1',
        {},
        'broad',
      ],
      [
        'a parameter before a literal',
        [
          ['param', { path: '/api/:kind/items' }],
          ['literal', { path: '/api/orders/items' }],
        ],
        '/api/orders/items',
        {},
        'param',
      ],
      [
        'a star before a literal',
        [
          ['star', { path: '/api/*' }],
          ['literal', { path: '/api/orders' }],
        ],
        '/api/orders',
        {},
        'star',
      ],
      [
        'a deeper ** before a shallower one',
        [
          ['deep', { path: '/api/orders/**' }],
          ['shallow', { path: '/api/**' }],
        ],
        '/api/orders/1',
        {},
        'deep',
      ],
      [
        'a literal before a parameter',
        [
          ['literal', { path: '/api/orders/mine' }],
          ['param', { path: '/api/orders/:id' }],
        ],
        '/api/orders/mine',
        {},
        'literal',
      ],
      [
        'an earlier route whose conditions fail',
        [
          ['tenant', { path: '/api/orders/:id', headers: { 'x-tenant': 'acme' } }],
          ['all', { path: '/api/orders/**' }],
        ],
        '/api/orders/1',
        {},
        'all',
      ],
      [
        'an earlier route whose conditions hold',
        [
          ['tenant', { path: '/api/orders/:id', headers: { 'x-tenant': 'acme' } }],
          ['all', { path: '/api/orders/**' }],
        ],
        '/api/orders/1',
        { 'x-tenant': 'acme' },
        'tenant',
      ],
      [
        'the same path twice, with and without conditions',
        [
          ['plain', { path: '/api/x' }],
          ['beta', { path: '/api/x', query: { beta: '1' } }],
        ],
        '/api/x?beta=1',
        {},
        'plain',
      ],
    ])('%s', (_name, routes, target, headers, id) => {
      expect(matched(rules(...routes), 'GET', target, headers)).toBe(id);
    });
  });

  it('sends a request no route matches to legacy', () => {
    const ruleSet = rules(['orders', { path: '/api/orders/**' }]);
    const parsed = toRoutingRequest('GET', '/api/products/1', {}, undefined);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(ruleSet.match(parsed.request)).toBeUndefined();
    expect(ruleSet.decide(parsed.request)).toMatchObject({
      route: undefined,
      upstream: 'legacy',
      side: 'legacy',
      reason: 'no route matched',
    });
  });

  it('matches nothing with an empty table', () => {
    expect(matched(rules(), 'GET', '/')).toBe('legacy');
    expect(matched(rules(), 'GET', '/api/orders')).toBe('legacy');
  });

  it('reads query and cookies only for a route that asks for them', () => {
    const view: RequestView = {
      method: 'GET',
      header: () => undefined,
      queryParam: jest.fn(() => undefined),
      cookie: jest.fn(() => undefined),
    };
    const matcher = new RouteMatcher([
      { pattern: parsePathPattern('/a'), conditions: { query: [['q', '*']] } },
      { pattern: parsePathPattern('/b'), conditions: { cookies: [['c', '*']] } },
      { pattern: parsePathPattern('/c'), conditions: {} },
    ]);
    expect(matcher.match(['c'], view)).toBe(2);
    expect(view.queryParam).not.toHaveBeenCalled();
    expect(view.cookie).not.toHaveBeenCalled();
    expect(matcher.match(['a'], view)).toBe(-1);
    expect(view.queryParam).toHaveBeenCalledWith('q');
  });
});
