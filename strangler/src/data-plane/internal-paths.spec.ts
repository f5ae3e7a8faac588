import { CompiledRuleSet, checkRuleSet, toRoutingRequest } from '../rules';
import { InternalPaths, parseInternalPath } from './internal-paths';

function rules(paths: string[]): CompiledRuleSet {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, svc: { url: 'http://127.0.0.1:3001' } },
    routes: paths.map((path, index) => ({ id: `r${index}`, match: { path }, target: 'svc', mode: 'live' })),
  });
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return new CompiledRuleSet(1, check.ruleSet);
}

/** Whether the default internal paths refuse `target` under routes with these paths. */
function refused(target: string, routePaths: string[] = []): boolean {
  const parsed = toRoutingRequest('GET', target, {}, undefined);
  if (!parsed.ok) throw new Error(parsed.reason);
  return new InternalPaths().refuses(parsed.request.segments, rules(routePaths).decide(parsed.request));
}

describe('InternalPaths', () => {
  it.each([
    '/metrics',
    '/metrics/',
    '/METRICS',
    '/Metrics?name=x',
    '/%6detrics',
    '//metrics',
    '/health',
    '/health/ready',
    '/health/live/',
    '/HEALTH/Ready',
    '/api-docs',
    '/api-docs/',
    '/api-docs-json',
    '/API-DOCS-JSON',
    '/api-docs/swagger-ui.css',
    '/api-docs%2Djson',
    'http://evil.example/metrics',
  ])('refuses %s when no route routes it', (target) => expect(refused(target)).toBe(true));

  it.each([
    '/',
    '/api/products',
    '/metricsx',
    '/metrics/x',
    '/healthy',
    '/api/health',
    '/docs',
    '/api-doc',
    '/x/metrics',
  ])('lets %s go to legacy', (target) => expect(refused(target)).toBe(false));

  it.each<[string, string[], boolean]>([
    ['/health/ready', ['/health/**'], false],
    ['/health/ready', ['/health/:probe'], false],
    ['/metrics', ['/metrics'], false],
    ['/api-docs-json', ['/api-docs-json'], false],
    ['/metrics', ['/**'], true],
    ['/health/ready', ['/:area/ready'], true],
    ['/health/ready', ['/*/ready'], true],
    ['/health/ready', ['/api/**'], true],
  ])('%s under routes %j: refused %s', (target, routes, expected) => expect(refused(target, routes)).toBe(expected));

  it('takes a list of its own', () => {
    const internal = new InternalPaths(['/admin/**', '/debug*', '/x/*/y']);
    expect(internal.covers(['ADMIN', 'users'])).toBe(true);
    expect(internal.covers(['debug-vars'])).toBe(true);
    expect(internal.covers(['x', 'anything', 'y'])).toBe(true);
    expect(internal.covers(['x', 'y'])).toBe(false);
    expect(internal.covers(['metrics'])).toBe(false);
    expect(new InternalPaths([]).covers(['metrics'])).toBe(false);
  });

  it.each<[string, RegExp]>([
    ['metrics', /must start with \//],
    ['/**/x', /\*\* only as its last segment/],
    ['/a//b', /not a path segment/],
    ['/a b', /not a path segment/],
    ['/../x', /not a path segment/],
  ])('refuses the pattern %j', (pattern, message) => expect(() => parseInternalPath(pattern)).toThrow(message));
});
