import { UpstreamPools } from './upstream-pools';

const pools = () =>
  new UpstreamPools({ connectionsPerUrl: 1, connectTimeoutMs: 100, keepAliveTimeoutMs: 100, cooldownMs: 1_000 });

describe('UpstreamPools.pick', () => {
  const urls = ['http://a:1', 'http://b:1', 'http://c:1'];

  it('goes round-robin over an upstream’s URLs', () => {
    const instance = pools();
    expect([0, 1, 2, 3].map(() => instance.pick('up', urls, 0))).toEqual([...urls, urls[0]]);
  });

  it('skips a URL that failed to connect until its cool-down ends', () => {
    const instance = pools();
    instance.markDown('http://b:1', 0, new Error('ECONNREFUSED'));
    expect([0, 1, 2, 3].map(() => instance.pick('up', urls, 10))).toEqual([
      'http://a:1',
      'http://c:1',
      'http://c:1',
      'http://a:1',
    ]);
    expect(instance.pick('up', urls, 1_000)).toBe('http://b:1');
  });

  it('tries the URL down the longest when all are down, and none of those already tried', () => {
    const instance = pools();
    instance.markDown('http://a:1', 5, new Error('x'));
    instance.markDown('http://b:1', 0, new Error('x'));
    instance.markDown('http://c:1', 9, new Error('x'));
    expect(instance.pick('up', urls, 10)).toBe('http://b:1');
    expect(instance.pick('up', urls, 10, new Set(['http://b:1']))).toBe('http://a:1');
    expect(instance.pick('up', urls, 10, new Set(urls))).toBeUndefined();
    expect(instance.pick('one', ['http://only:1'], 10, new Set(['http://only:1']))).toBeUndefined();
  });
});
