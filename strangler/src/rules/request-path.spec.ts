import { parseRequestPath } from './request-path';

const DOT = 'the path contains a . or .. segment';
const ENCODED = 'the path contains a backslash, NUL or an encoded slash';
const INVALID = 'the path has an invalid percent-encoding';

describe('parseRequestPath', () => {
  it.each([
    // target, path forwarded, query, decoded segments
    ['/', '/', '', []],
    ['/api/orders', '/api/orders', '', ['api', 'orders']],
    ['/api/orders/', '/api/orders/', '', ['api', 'orders']],
    ['/api//orders///7', '/api//orders///7', '', ['api', 'orders', '7']],
    ['/?', '/', '', []],
    ['/?q=1', '/', 'q=1', []],
    ['/api/orders?status=open&page=2', '/api/orders', 'status=open&page=2', ['api', 'orders']],
    ['/api?a=1?b=2', '/api', 'a=1?b=2', ['api']],
    ['/api?next=/a/../b%2f%5c%00', '/api', 'next=/a/../b%2f%5c%00', ['api']],
    ['/api/%6Frders', '/api/%6Frders', '', ['api', 'orders']],
    // unreserved characters (ALPHA DIGIT - . _ ~) decoded in any case of the hex digits; the path forwarded as sent
    ['/%41pi/%7e%2D%2e%5F%31', '/%41pi/%7e%2D%2e%5F%31', '', ['Api', '~-._1']],
    ['/caf%C3%A9/a%20b', '/caf%C3%A9/a%20b', '', ['caf\u00e9', 'a b']],
    ['/api/...', '/api/...', '', ['api', '...']],
    ['/api/.x/x.', '/api/.x/x.', '', ['api', '.x', 'x.']],
    ['/api/%2e%2e%2e', '/api/%2e%2e%2e', '', ['api', '...']],
    ['/api/a%3Fb', '/api/a%3Fb', '', ['api', 'a?b']],
  ])('reads %j', (target, path, query, segments) => {
    expect(parseRequestPath(target)).toEqual({ ok: true, value: { path, query, segments } });
  });

  it.each([
    // absolute-form targets: the host never chooses the upstream, only the path counts
    ['http://evil.example/api/orders', '/api/orders', '', ['api', 'orders']],
    ['HTTPS://evil.example:8443/api/orders?x=1', '/api/orders', 'x=1', ['api', 'orders']],
    ['http://user:pass@evil.example/a', '/a', '', ['a']],
    ['http://evil.example', '/', '', []],
    ['http://evil.example?x', '/', 'x', []],
    // The URL parser resolves dot segments (also encoded) and backslashes itself: what is
    // forwarded is the path that was matched, so nothing can mean another path later.
    ['http://h/api/public/../admin', '/api/admin', '', ['api', 'admin']],
    ['http://h/api/public/%2e%2E/admin', '/api/admin', '', ['api', 'admin']],
    ['http://h/api\\admin', '/api/admin', '', ['api', 'admin']],
  ])('reduces the absolute-form target %j to its path', (target, path, query, segments) => {
    expect(parseRequestPath(target)).toEqual({ ok: true, value: { path, query, segments } });
  });

  it.each([
    ['*', 'the request target is not a path'],
    ['api/orders', 'the request target is not a path'],
    ['evil.example:443', 'the request target is not a path'],
    ['ftp://evil.example/a', 'the request target is not a path'],
    ['http://[::1/a', 'the request target is not a valid URL'],
    ['http://exa mple/a', 'the request target is not a valid URL'],
    // dot segments, raw and percent-encoded in any case
    ['/..', DOT],
    ['/.', DOT],
    ['/api/../admin', DOT],
    ['/api/./orders', DOT],
    ['/api/orders/..', DOT],
    ['/api/%2e%2e/admin', DOT],
    ['/api/%2E%2E/admin', DOT],
    ['/api/.%2e/admin', DOT],
    ['/api/%2e./admin', DOT],
    ['/api/%2e/admin', DOT],
    // encoded slashes and backslashes, a raw backslash, NUL raw or encoded
    ['/api/a%2fb', ENCODED],
    ['/api/a%2Fb', ENCODED],
    ['/api/a%5cb', ENCODED],
    ['/api/a%5Cb', ENCODED],
    ['/api\\admin', ENCODED],
    ['/api/a\0b', ENCODED],
    ['/api/a%00b', ENCODED],
    ['/api/%2e%2e%2fadmin', ENCODED],
    // invalid percent-encodings
    ['/api/%', INVALID],
    ['/api/%4', INVALID],
    ['/api/%zz', INVALID],
    ['/api/%e9', INVALID], // not UTF-8
    ['/api/%C3', INVALID], // a truncated sequence
  ])('refuses %j: %s', (target, reason) => {
    expect(parseRequestPath(target)).toEqual({ ok: false, reason });
  });
});
