import { toRoutingRequest } from './routing-request';

function request(target: string, headers: Record<string, string | string[]> = {}, method = 'get') {
  const parsed = toRoutingRequest(method, target, headers, '198.51.100.4');
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed;
}

describe('toRoutingRequest', () => {
  it('gives the method upper-cased, the decoded segments, the raw path and query, and the client address', () => {
    const parsed = request('/api/caf%C3%A9/7?x=1&y=%2F');
    expect(parsed.path).toBe('/api/caf%C3%A9/7');
    expect(parsed.query).toBe('x=1&y=%2F');
    expect(parsed.request.method).toBe('GET');
    expect(parsed.request.segments).toEqual(['api', 'caf\u00e9', '7']);
    expect(parsed.request.clientIp).toBe('198.51.100.4');
  });

  it.each([
    ['/', false],
    ['/api/orders', false],
    ['/api/orders/', true],
    ['/api/orders//', true],
    ['/api/orders/?x=1', true],
    ['/api/orders?next=/', false],
    ['http://h/api/orders/', true],
    ['http://h', false],
  ])('says whether %j ends with a slash: %s', (target, trailingSlash) => {
    expect(request(target).request.trailingSlash).toBe(trailingSlash);
  });

  it('passes on why a target is refused', () => {
    expect(toRoutingRequest('GET', '/a/../b', {}, undefined)).toEqual({
      ok: false,
      reason: 'the path contains a . or .. segment',
    });
  });

  it.each<[string, Record<string, string | string[]>, string, string | undefined]>([
    ['a header', { 'x-tenant': 'acme' }, 'x-tenant', 'acme'],
    ['the first of a repeated header', { 'x-tenant': ['acme', 'other'] }, 'x-tenant', 'acme'],
    ['an empty repeated header', { 'x-tenant': [] }, 'x-tenant', undefined],
    ['a missing header', {}, 'x-tenant', undefined],
  ])('reads %s', (_name, headers, name, value) => {
    expect(request('/', headers).request.header(name)).toBe(value);
  });

  it.each([
    ['x=1', 'x', '1'],
    ['x=1&x=2', 'x', '1'],
    ['x', 'x', ''],
    ['x=a%20b', 'x', 'a b'],
    ['x=a+b', 'x', 'a b'],
    ['y=1', 'x', undefined],
    ['', 'x', undefined],
  ])('reads the query %j: %s = %j', (query, name, value) => {
    expect(request(`/a?${query}`).request.queryParam(name)).toBe(value);
  });

  it.each([
    ['session=abc', 'session', 'abc'],
    ['theme=dark; session=abc', 'session', 'abc'],
    [' session = abc ;theme=dark', 'session', 'abc'],
    ['session=abc; session=def', 'session', 'abc'],
    ['session=', 'session', ''],
    ['=abc; session=x', 'session', 'x'],
    ['garbage; session=x=y', 'session', 'x=y'],
    ['theme=dark', 'session', undefined],
    ['', 'session', undefined],
  ])('reads the cookie header %j: %s = %j', (cookie, name, value) => {
    expect(request('/', { cookie }).request.cookie(name)).toBe(value);
  });

  it('reads no cookie without a cookie header', () => {
    expect(request('/').request.cookie('session')).toBeUndefined();
  });
});
