import { StreamsError } from './errors';
import { isClusterUrl, parseRedisUrl, redisUrlProblem } from './redis-url';

describe('Redis URLs', () => {
  it.each([
    ['redis://127.0.0.1:6379', { url: 'redis://127.0.0.1:6379', cluster: false }],
    ['rediss://user:secret@cache:6380/2', { url: 'rediss://user:secret@cache:6380/2', cluster: false }],
    ['redis://127.0.0.1:6379?cluster=false', { url: 'redis://127.0.0.1:6379', cluster: false }],
    ['redis://redis-0.redis:6379?cluster=true', { url: 'redis://redis-0.redis:6379', cluster: true }],
    ['rediss://:secret@node:7000/0?cluster=true', { url: 'rediss://:secret@node:7000/0', cluster: true }],
  ])('reads %s', (url, expected) => {
    expect(parseRedisUrl(url)).toEqual(expected);
    expect(isClusterUrl(url)).toBe(expected.cluster);
  });

  it.each([
    ['http://127.0.0.1:6379', 'must start with redis:// or rediss://'],
    ['not a url', 'must be a URL such as redis://127.0.0.1:6379'],
    ['redis://h:1?cluster=yes', 'has cluster=yes: the cluster parameter is true (a node of a Redis Cluster) or false'],
    ['redis://h:1?cluster=true&cluster=false', 'has cluster=true&cluster=false'],
    ['redis://h:1/3?cluster=true', 'names database 3: a Redis Cluster has database 0 only'],
  ])('refuses %s, saying why', (url, problem) => {
    expect(redisUrlProblem(url)).toContain(problem);
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StreamsError);
    expect(error).toMatchObject({ code: 'STREAMS_OPTIONS_INVALID' });
    expect((error as Error).message).toContain(problem);
  });

  it('never shows the password in its message', () => {
    expect(() => parseRedisUrl('redis://:hunter2@h:1?cluster=maybe')).toThrow(/redis:\/\/:\*\*\*@h:1/);
    expect(() => parseRedisUrl('redis://:hunter2@h:1?cluster=maybe')).not.toThrow(/hunter2/);
  });
});
