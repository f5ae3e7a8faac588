import {
  RedisStreamsClient,
  type RedisStreamsClientOptions,
  RedisStreamsServer,
  type RedisStreamsServerOptions,
  StreamsError,
} from '@app/redis-streams';
import { StreamsHarness, TEST_REDIS_URL, failureOf } from './support/streams-harness';

function rejection(create: () => unknown): StreamsError {
  try {
    create();
  } catch (error) {
    return error as StreamsError;
  }
  throw new Error('expected the options to be rejected');
}

const server = (options: Partial<RedisStreamsServerOptions>) =>
  rejection(() => new RedisStreamsServer({ service: 'svc', ...options } as RedisStreamsServerOptions));
const client = (options: Partial<RedisStreamsClientOptions>) =>
  rejection(() => new RedisStreamsClient({ origin: 'app', ...options } as RedisStreamsClientOptions));

describe('options', () => {
  it.each<[string, Partial<RedisStreamsServerOptions>, RegExp]>([
    [
      'a service name with capitals and spaces',
      { service: 'My Service' },
      /^RedisStreamsServer: service must be .*\(got "My Service"\)/,
    ],
    ['no service', { service: undefined }, /service .*\(got undefined\)/],
    ['concurrency 0', { concurrency: 0 }, /concurrency .*\(got 0\)/],
    ['a fractional batch size', { batchSize: 2.5 }, /batchSize .*\(got 2\.5\)/],
    [
      'an http URL',
      { url: 'http://localhost:6379' },
      /url must start with redis:\/\/ or rediss:\/\/ \(got "http:\/\/localhost:6379"\)/,
    ],
    ['maxDeliveries as a string', { maxDeliveries: '5' as unknown as number }, /maxDeliveries .*\(got "5"\)/],
    [
      'a negative stream limit',
      { streamLimits: { 'evt:x': { maxLen: -1 } } },
      /streamLimits\.evt:x\.maxLen .*\(got -1\)/,
    ],
    ['an unknown start position', { startFrom: 'latest' as '$' }, /startFrom .*\(got "latest"\)/],
    [
      'a retry delay as long as the claim idle time',
      { retryMaxDelayMs: 30_000, claimIdleMs: 30_000 },
      /retryMaxDelayMs \(30000\) must be below claimIdleMs \(30000\)/,
    ],
  ])('rejects a server with %s, naming the option', (_what, options, message) => {
    const error = server(options);
    expect(error).toBeInstanceOf(StreamsError);
    expect(error.code).toBe('STREAMS_OPTIONS_INVALID');
    expect(error.message).toMatch(message);
  });

  it('names every bad option at once', () => {
    const error = server({ concurrency: -1, blockMs: 0, service: '' });
    expect(error.message).toMatch(/service/);
    expect(error.message).toMatch(/concurrency/);
    expect(error.message).toMatch(/blockMs/);
  });

  it.each<[string, Partial<RedisStreamsClientOptions>, RegExp]>([
    ['no origin', { origin: undefined }, /^RedisStreamsClient: origin .*\(got undefined\)/],
    ['a bad target service', { service: 'Payments!' }, /service must be .*\(got "Payments!"\)/],
    ['a zero request timeout', { requestTimeoutMs: 0 }, /requestTimeoutMs .*\(got 0\)/],
    ['a reply TTL that is not a number', { replyTtlMs: 'soon' as unknown as number }, /replyTtlMs .*\(got "soon"\)/],
    ['an instance id with a colon', { instanceId: 'a:b' }, /instanceId .*\(got "a:b"\)/],
    ['a prefix longer than 100', { prefix: 'p'.repeat(101) }, /prefix /],
  ])('rejects a client with %s, naming the option', (_what, options, message) => {
    const error = client(options);
    expect(error).toBeInstanceOf(StreamsError);
    expect(error.code).toBe('STREAMS_OPTIONS_INVALID');
    expect(error.message).toMatch(message);
  });

  it('fills in the documented defaults', () => {
    const { settings } = new RedisStreamsServer({ service: 'svc' });
    expect(settings).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      prefix: 'ficus:',
      concurrency: 64,
      maxDeliveries: 5,
      maxLen: 100_000,
      claimIdleMs: 30_000,
      startFrom: '0',
    });
    expect(settings.consumerName).toMatch(/^svc-/);
    expect(new RedisStreamsServer({ service: 'svc' }).consumer).not.toBe(settings.consumerName);
    expect(new RedisStreamsClient({ origin: 'app' }).settings).toMatchObject({
      requestTimeoutMs: 5_000,
      maxLen: 100_000,
    });
  });

  describe('with Redis unreachable', () => {
    const harness = new StreamsHarness();
    afterAll(() => harness.cleanup());

    it.each([
      ['one Redis', 'redis://127.0.0.1:1'],
      ['a Redis Cluster', 'redis://127.0.0.1:1?cluster=true'],
    ])('fails to start, and fails send() and emit() at once, with STREAMS_CONNECTION_LOST (%s)', async (_on, url) => {
      const unreachable = new RedisStreamsClient({ origin: 'app', service: 'svc', url });
      harness.defer(() => unreachable.close());
      const started = Date.now();
      expect((await failureOf(unreachable.send('x', 1))).code).toBe('STREAMS_CONNECTION_LOST');
      expect((await failureOf(unreachable.emit('x', 1))).code).toBe('STREAMS_CONNECTION_LOST');
      await expect(unreachable.connect()).rejects.toMatchObject({ code: 'STREAMS_CONNECTION_LOST' });
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(harness.service([], { service: 'svc', url })).rejects.toMatchObject({
        code: 'STREAMS_CONNECTION_LOST',
      });
      expect(TEST_REDIS_URL).not.toBe(url);
    });
  });

  it.each<[string, Partial<RedisStreamsServerOptions>, RegExp]>([
    ['another say on clustering', { url: 'redis://h:1?cluster=1' }, /url has cluster=1: the cluster parameter is true/],
    ['a database on a cluster', { url: 'redis://h:1/2?cluster=true' }, /url names database 2: a Redis Cluster has/],
    [
      'a prefix with a brace on a cluster',
      { url: 'redis://h:1?cluster=true', prefix: 'shop-{x}:' },
      /prefix: The prefix "shop-\{x\}:" holds a brace/,
    ],
  ])('rejects a server with %s, saying why', (_what, options, message) => {
    const error = server(options);
    expect(error.code).toBe('STREAMS_OPTIONS_INVALID');
    expect(error.message).toMatch(message);
  });
});
