import { checkRuleSet } from './check-rule-set';
import type { RuleSetInput } from './rule-set.schema';

type RouteInput = NonNullable<RuleSetInput['routes']>[number];

const UPSTREAMS = {
  legacy: { url: 'http://127.0.0.1:3000' },
  orders: { urls: ['http://127.0.0.1:3002', 'http://127.0.0.1:3012'] },
} satisfies RuleSetInput['upstreams'];

const route = (overrides: Partial<RouteInput> = {}): RouteInput => ({
  id: 'orders-read',
  match: { path: '/api/orders/:id', methods: ['GET'] },
  target: 'orders',
  mode: 'live',
  ...overrides,
});

const canary = (overrides: Partial<RouteInput> = {}): RouteInput =>
  route({ mode: 'canary', percent: 10, stickyBy: 'jwt.sub', ...overrides });

const document = (routes: unknown[], rest: Record<string, unknown> = {}) => ({
  legacy: 'legacy',
  upstreams: UPSTREAMS,
  routes,
  ...rest,
});

describe('checkRuleSet', () => {
  it('accepts a good document and applies the defaults', () => {
    const check = checkRuleSet({ legacy: 'legacy', upstreams: UPSTREAMS });
    expect(check).toEqual({ ok: true, ruleSet: { legacy: 'legacy', upstreams: UPSTREAMS, routes: [] }, warnings: [] });
  });

  it.each<[string, RouteInput[]]>([
    ['a live route', [route()]],
    ['a route back on legacy', [route({ target: 'legacy', mode: 'legacy' })]],
    ['a shadow route', [route({ mode: 'shadow' })]],
    ['a canary route at 0 %', [canary({ percent: 0 })]],
    ['a canary route at 100 %', [canary({ percent: 100 })]],
    ['a canary route at 12.34 %', [canary({ percent: 12.34 })]],
    ['a canary route sticky by a header', [canary({ stickyBy: 'header:X-User-Id' })]],
    ['a canary route sticky by a cookie', [canary({ stickyBy: 'cookie:session' })]],
    ['a canary route sticky by ip', [canary({ stickyBy: 'ip' })]],
    [
      'a consistent group',
      [
        canary({ id: 'a', group: 'orders', match: { path: '/api/orders' } }),
        canary({ id: 'b', group: 'orders', match: { path: '/api/orders/:id' } }),
      ],
    ],
    [
      'every option of a route',
      [
        route({
          match: {
            path: '/api/orders/**',
            methods: ['GET', 'HEAD'],
            headers: { 'x-tenant': 'acme' },
            query: { beta: '*' },
            cookies: { session: '*' },
          },
          timeoutMs: 2_000,
          retries: 2,
          fallback: true,
          guard: { maxErrorRate: 0.05, maxP99Ms: 800 },
        }),
      ],
    ],
  ])('accepts %s', (_name, routes) => {
    const check = checkRuleSet(document(routes));
    expect(check.ok ? check.warnings : check.errors).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it.each<[string, unknown, string[]]>([
    // upstreams
    [
      'an unknown legacy upstream',
      document([], { legacy: 'monolith' }),
      ['legacy: "monolith" is not an upstream (known: legacy, orders)'],
    ],
    [
      'a legacy upstream when there are none',
      { legacy: 'legacy', upstreams: {} },
      ['legacy: "legacy" is not an upstream (known: none)'],
    ],
    [
      'an unknown target',
      document([route({ target: 'payments' })]),
      ['routes[0].target: "payments" is not an upstream (known: legacy, orders)'],
    ],
    [
      'both url and urls',
      { legacy: 'legacy', upstreams: { legacy: { url: 'http://a:1', urls: ['http://b:1'] } } },
      ['upstreams.legacy: give either url or urls, not both nor neither'],
    ],
    [
      'neither url nor urls',
      { legacy: 'legacy', upstreams: { legacy: {} } },
      ['upstreams.legacy: give either url or urls, not both nor neither'],
    ],
    [
      'an empty urls',
      { legacy: 'legacy', upstreams: { legacy: { urls: [] } } },
      ['upstreams.legacy.urls: Too small: expected array to have >=1 items'],
    ],
    [
      'a url with a path',
      { legacy: 'legacy', upstreams: { legacy: { url: 'http://127.0.0.1:3000/api' } } },
      [
        'upstreams.legacy.url: must be an http:// or https:// origin, such as http://127.0.0.1:3000 (no path, query or fragment)',
      ],
    ],
    [
      'a url that is not http',
      { legacy: 'legacy', upstreams: { legacy: { urls: ['http://a:1', 'ftp://b'] } } },
      [
        'upstreams.legacy.urls[1]: must be an http:// or https:// origin, such as http://127.0.0.1:3000 (no path, query or fragment)',
      ],
    ],
    [
      'a bad upstream name',
      { legacy: 'legacy', upstreams: { legacy: { url: 'http://a:1' }, Orders: { url: 'http://b:1' } } },
      // The path is right; zod reports a bad record key without the key's own message (what is allowed).
      ['upstreams.Orders: Invalid key in record'],
    ],
    // ids
    [
      'a duplicate id',
      document([route(), route({ match: { path: '/api/x' } }), route({ match: { path: '/api/y' } })]),
      ['routes[1].id: "orders-read" is used by routes[0] too', 'routes[2].id: "orders-read" is used by routes[0] too'],
    ],
    [
      'a bad id',
      document([route({ id: '-orders' })]),
      ['routes[0].id: id must be 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit'],
    ],
    // path patterns
    [
      'a pattern without a leading /',
      document([route({ match: { path: 'api/orders' } })]),
      ['routes[0].match.path: "api/orders" must start with /'],
    ],
    [
      'a pattern with ** inside',
      document([route({ match: { path: '/api/**/items' } })]),
      ['routes[0].match.path: "/api/**/items" may use ** only as its last segment'],
    ],
    [
      'a pattern with a dot segment',
      document([route({ match: { path: '/api/../admin' } })]),
      ['routes[0].match.path: "/api/../admin" may not contain . or .. segments'],
    ],
    [
      'a pattern with a bad parameter',
      document([route({ match: { path: '/api/:1' } })]),
      ['routes[0].match.path: "/api/:1" has a bad parameter :1 (use :name)'],
    ],
    [
      'a pattern with an empty segment',
      document([route({ match: { path: '/api//x' } })]),
      ['routes[0].match.path: "/api//x" has an empty segment (// or a trailing /)'],
    ],
    [
      'an empty pattern',
      document([route({ match: { path: '' } })]),
      ['routes[0].match.path: Too small: expected string to have >=1 characters'],
    ],
    // percent
    [
      'a percent above 100',
      document([canary({ percent: 100.01 })]),
      ['routes[0].percent: Too big: expected number to be <=100'],
    ],
    [
      'a negative percent',
      document([canary({ percent: -1 })]),
      ['routes[0].percent: Too small: expected number to be >=0'],
    ],
    [
      'a percent with three decimals',
      document([canary({ percent: 12.345 })]),
      ['routes[0].percent: Invalid number: must be a multiple of 0.01'],
    ],
    // canary
    [
      'a canary without percent',
      document([canary({ percent: undefined })]),
      ['routes[0].percent: required when mode is canary (0 to 100)'],
    ],
    [
      'a canary without stickyBy',
      document([canary({ stickyBy: undefined })]),
      ['routes[0].stickyBy: required when mode is canary (jwt.sub, ip, header:<name> or cookie:<name>)'],
    ],
    [
      'a canary without either',
      document([route({ mode: 'canary' })]),
      [
        'routes[0].percent: required when mode is canary (0 to 100)',
        'routes[0].stickyBy: required when mode is canary (jwt.sub, ip, header:<name> or cookie:<name>)',
      ],
    ],
    [
      'an unknown stickyBy',
      document([canary({ stickyBy: 'session' })]),
      ['routes[0].stickyBy: must be jwt.sub, ip, header:<name> or cookie:<name>'],
    ],
    [
      'a header stickyBy without a name',
      document([canary({ stickyBy: 'header:' })]),
      ['routes[0].stickyBy: must be jwt.sub, ip, header:<name> or cookie:<name>'],
    ],
    [
      'an unknown mode',
      document([route({ mode: 'dark' as never })]),
      ['routes[0].mode: Invalid option: expected one of "legacy"|"shadow"|"canary"|"live"'],
    ],
    // groups
    [
      'a group whose routes differ',
      document([
        canary({ id: 'a', group: 'orders', match: { path: '/api/orders' } }),
        canary({ id: 'b', group: 'orders', match: { path: '/api/x' }, target: 'legacy', percent: 20, stickyBy: 'ip' }),
        route({ id: 'c', group: 'orders', match: { path: '/api/y' } }),
      ]),
      [
        'routes[1].target: group "orders" moves as one, but routes[0] has "orders" and this route "legacy"',
        'routes[1].percent: group "orders" moves as one, but routes[0] has 10 and this route 20',
        'routes[1].stickyBy: group "orders" moves as one, but routes[0] has "jwt.sub" and this route "ip"',
        'routes[2].mode: group "orders" moves as one, but routes[0] has "canary" and this route "live"',
        'routes[2].percent: group "orders" moves as one, but routes[0] has 10 and this route undefined',
        'routes[2].stickyBy: group "orders" moves as one, but routes[0] has "jwt.sub" and this route undefined',
      ],
    ],
    // shape: the path of each bad field
    [
      'an unknown method',
      document([route({ match: { path: '/a', methods: ['get' as never] } })]),
      [
        'routes[0].match.methods[0]: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS"',
      ],
    ],
    [
      'an empty method list',
      document([route({ match: { path: '/a', methods: [] } })]),
      ['routes[0].match.methods: Too small: expected array to have >=1 items'],
    ],
    ['an unknown route field', document([{ ...route(), weight: 3 }]), ['routes[0]: Unrecognized key: "weight"']],
    [
      'an unknown match field',
      document([route({ match: { path: '/a', host: 'x' } as never })]),
      ['routes[0].match: Unrecognized key: "host"'],
    ],
    [
      'a header value that is not a string',
      document([route({ match: { path: '/a', headers: { 'x-a': 1 as never } } })]),
      ['routes[0].match.headers.x-a: Invalid input: expected string, received number'],
    ],
    ['retries above 5', document([route({ retries: 6 })]), ['routes[0].retries: Too big: expected number to be <=5']],
    [
      'a timeout of 0',
      document([route({ timeoutMs: 0 })]),
      ['routes[0].timeoutMs: Too small: expected number to be >=1'],
    ],
    [
      'a guard error rate above 1',
      document([route({ guard: { maxErrorRate: 2 } })]),
      ['routes[0].guard.maxErrorRate: Too big: expected number to be <=1'],
    ],
    [
      'a circuit breaker error rate of 0',
      { legacy: 'legacy', upstreams: { legacy: { url: 'http://a:1', circuitBreaker: { errorRate: 0 } } } },
      ['upstreams.legacy.circuitBreaker.errorRate: Too small: expected number to be >0'],
    ],
    ['a document that is not an object', 'routes: []', ['rules: Invalid input: expected object, received string']],
    ['routes that are not a list', document({} as never), ['routes: Invalid input: expected array, received object']],
    ['a missing legacy', { upstreams: UPSTREAMS }, ['legacy: Invalid input: expected string, received undefined']],
    [
      'several problems at once',
      document([route({ target: 'nope' }), route({ match: { path: '/x/' } })], { legacy: 'old' }),
      [
        'legacy: "old" is not an upstream (known: legacy, orders)',
        'routes[0].target: "nope" is not an upstream (known: legacy, orders)',
        'routes[1].id: "orders-read" is used by routes[0] too',
        'routes[1].match.path: "/x/" has an empty segment (// or a trailing /)',
      ],
    ],
  ])('refuses %s', (_name, input, errors) => {
    const check = checkRuleSet(input);
    expect(check.ok).toBe(false);
    expect(check.ok ? [] : check.errors).toEqual(errors);
  });

  it.each<[string, unknown, string[]]>([
    [
      'a pathMatching option that is not a boolean',
      document([], { pathMatching: { caseSensitive: 'yes' } }),
      [
        'pathMatching.caseSensitive: must be true or false (default false: literal segments match in any case, as Express routes)',
      ],
    ],
    [
      'a strictTrailingSlash that is not a boolean',
      document([], { pathMatching: { strictTrailingSlash: 1 } }),
      [
        'pathMatching.strictTrailingSlash: must be true or false (default false: one trailing slash is ignored, as Express does)',
      ],
    ],
    [
      'an unknown pathMatching option',
      document([], { pathMatching: { strict: true, sensitive: false } }),
      ['pathMatching: has unknown options strict, sensitive (allowed: caseSensitive, strictTrailingSlash)'],
    ],
    [
      'a pathMatching that is not an object',
      document([], { pathMatching: 'case-insensitive' }),
      ['pathMatching: must be an object with caseSensitive, strictTrailingSlash, such as { caseSensitive: false }'],
    ],
  ])('refuses %s', (_name, input, errors) => {
    const check = checkRuleSet(input);
    expect(check.ok ? [] : check.errors).toEqual(errors);
  });

  it('keeps pathMatching as given, and adds nothing when it is absent', () => {
    const given = { caseSensitive: true, strictTrailingSlash: true };
    expect(checkRuleSet(document([], { pathMatching: given }))).toMatchObject({
      ok: true,
      ruleSet: { pathMatching: given },
    });
    expect(checkRuleSet(document([], { pathMatching: {} }))).toMatchObject({ ok: true, ruleSet: { pathMatching: {} } });
    const check = checkRuleSet(document([]));
    expect(check.ok && 'pathMatching' in check.ruleSet).toBe(false);
  });

  it.each<[string, RuleSetInput['pathMatching'], string[]]>([
    [
      'matched in any case (the default)',
      undefined,
      ['routes[1] ("upper") is unreachable: routes[0] ("lower") matches every request it would'],
    ],
    ['case-sensitive', { caseSensitive: true }, []],
  ])('warns of a route whose literals differ only in case when paths are %s', (_name, pathMatching, warnings) => {
    const routes = [
      route({ id: 'lower', match: { path: '/api/orders/:id' } }),
      route({ id: 'upper', match: { path: '/API/Orders/:id' } }),
    ];
    expect(checkRuleSet(document(routes, pathMatching ? { pathMatching } : {}))).toMatchObject({ ok: true, warnings });
  });

  // A percent (and stickyBy) kept on a route that is not a canary is allowed: moving a route
  // canary → live → canary keeps its split, and `route set --mode live` need not clear it.
  it.each<[RouteInput['mode']]>([['live'], ['legacy'], ['shadow']])('accepts a percent kept on a %s route', (mode) => {
    const check = checkRuleSet(document([route({ mode, percent: 10, stickyBy: 'jwt.sub' })]));
    expect(check).toMatchObject({ ok: true, warnings: [] });
  });

  describe('unreachable routes', () => {
    it.each<[string, RouteInput[], string[]]>([
      [
        'a route under an earlier **',
        [
          route({ id: 'all-orders', match: { path: '/api/orders/**' } }),
          route({ id: 'one-order', match: { path: '/api/orders/:id', methods: ['GET'] } }),
        ],
        ['routes[1] ("one-order") is unreachable: routes[0] ("all-orders") matches every request it would'],
      ],
      [
        'a literal after a parameter',
        [route({ id: 'param', match: { path: '/api/:kind' } }), route({ id: 'literal', match: { path: '/api/x' } })],
        ['routes[1] ("literal") is unreachable: routes[0] ("param") matches every request it would'],
      ],
      [
        'the same route twice',
        [route({ id: 'a' }), route({ id: 'b' })],
        ['routes[1] ("b") is unreachable: routes[0] ("a") matches every request it would'],
      ],
      [
        'methods the earlier route covers',
        [
          route({ id: 'reads', match: { path: '/x', methods: ['GET', 'HEAD'] } }),
          route({ id: 'get', match: { path: '/x', methods: ['GET'] } }),
        ],
        ['routes[1] ("get") is unreachable: routes[0] ("reads") matches every request it would'],
      ],
      [
        'conditions the later route asks for too',
        [
          route({ id: 'tenant', match: { path: '/x', headers: { 'x-tenant': '*' } } }),
          route({ id: 'acme', match: { path: '/x', headers: { 'x-tenant': 'acme' }, query: { b: '1' } } }),
        ],
        ['routes[1] ("acme") is unreachable: routes[0] ("tenant") matches every request it would'],
      ],
      [
        'the first of several covering routes',
        [
          route({ id: 'a', match: { path: '/**' } }),
          route({ id: 'b', match: { path: '/api/**' } }),
          route({ id: 'c', match: { path: '/api/x' } }),
        ],
        [
          'routes[1] ("b") is unreachable: routes[0] ("a") matches every request it would',
          'routes[2] ("c") is unreachable: routes[0] ("a") matches every request it would',
        ],
      ],
    ])('warns of %s', (_name, routes, warnings) => {
      const check = checkRuleSet(document(routes));
      expect(check.ok).toBe(true);
      expect(check.warnings).toEqual(warnings);
    });

    it.each<[string, RouteInput[]]>([
      [
        'a specific route before a broad one',
        [
          route({ id: 'one', match: { path: '/api/orders/:id' } }),
          route({ id: 'all', match: { path: '/api/orders/**' } }),
        ],
      ],
      [
        'an earlier route limited to fewer methods',
        [
          route({ id: 'get', match: { path: '/x', methods: ['GET'] } }),
          route({ id: 'reads', match: { path: '/x', methods: ['GET', 'HEAD'] } }),
        ],
      ],
      [
        'an earlier route limited to some methods, a later one to none',
        [route({ id: 'get', match: { path: '/x', methods: ['GET'] } }), route({ id: 'any', match: { path: '/x' } })],
      ],
      [
        'an earlier route that asks for a header',
        [
          route({ id: 'tenant', match: { path: '/x', headers: { 'x-tenant': 'acme' } } }),
          route({ id: 'all', match: { path: '/x' } }),
        ],
      ],
      [
        'an earlier route that asks for another header value',
        [
          route({ id: 'acme', match: { path: '/x', headers: { 'x-tenant': 'acme' } } }),
          route({ id: 'other', match: { path: '/x', headers: { 'x-tenant': 'other' } } }),
        ],
      ],
      [
        'an earlier route that asks for a query parameter',
        [
          route({ id: 'beta', match: { path: '/x', query: { beta: '1' } } }),
          route({ id: 'all', match: { path: '/x' } }),
        ],
      ],
      [
        'an earlier route that asks for a cookie',
        [
          route({ id: 'beta', match: { path: '/x', cookies: { beta: '*' } } }),
          route({ id: 'all', match: { path: '/x', cookies: { session: '*' } } }),
        ],
      ],
      [
        'a literal before a parameter',
        [route({ id: 'literal', match: { path: '/api/x' } }), route({ id: 'param', match: { path: '/api/:kind' } })],
      ],
      ['different paths', [route({ id: 'a', match: { path: '/a/**' } }), route({ id: 'b', match: { path: '/b/**' } })]],
      [
        'a ** that also matches shorter paths',
        [route({ id: 'one', match: { path: '/api/:x' } }), route({ id: 'rest', match: { path: '/api/**' } })],
      ],
    ])('does not warn of %s', (_name, routes) => {
      expect(checkRuleSet(document(routes))).toMatchObject({ ok: true, warnings: [] });
    });

    it('does not look for unreachable routes in a document with errors', () => {
      const check = checkRuleSet(document([route({ id: 'a' }), route({ id: 'b', target: 'nope' })]));
      expect(check).toEqual({
        ok: false,
        errors: ['routes[1].target: "nope" is not an upstream (known: legacy, orders)'],
        warnings: [],
      });
    });

    it('finds the one unreachable route among 10,001', () => {
      const routes = Array.from({ length: 10_000 }, (_, i) =>
        route({ id: `r${i}`, match: { path: `/api/service-${i % 100}/resource-${i}/:id` } }),
      );
      routes.push(route({ id: 'late', match: { path: '/api/service-7/resource-7/:id' } }));
      const check = checkRuleSet(document(routes));
      expect(check.warnings).toEqual([
        'routes[10000] ("late") is unreachable: routes[7] ("r7") matches every request it would',
      ]);
    });
  });
});
