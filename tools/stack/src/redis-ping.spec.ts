import { parseRedisUrl } from './redis-ping';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', { host: '127.0.0.1', port: 6379, tls: false }],
    ['redis://localhost', { host: 'localhost', port: 6379, tls: false }],
    ['redis://user:secret@[::1]:6400/2', { host: '::1', port: 6400, tls: false }],
    ['rediss://cache.example.com:6380', { host: 'cache.example.com', port: 6380, tls: true }],
  ])('reads %s', (url, address) => {
    expect(parseRedisUrl(url)).toEqual({ url, ...address });
  });

  it.each(['http://127.0.0.1:6379', 'redis://', 'not a url'])('names REDIS_URL when it reads %j', (url) => {
    expect(() => parseRedisUrl(url)).toThrow(`REDIS_URL is ${JSON.stringify(url)}; allowed: redis://host:port`);
  });
});
