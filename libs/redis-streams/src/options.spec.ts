import { StreamsError } from './errors';
import { systemClock } from './clock';
import { clientSettings, serverSettings, trimArguments } from './options';

describe('server options', () => {
  it('fills in the defaults', () => {
    const settings = serverSettings({ service: 'payments' });
    expect(settings).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      prefix: 'ficus:',
      service: 'payments',
      concurrency: 64,
      maxDeliveries: 5,
      claimIdleMs: 30_000,
      livenessTtlMs: 5_000,
      heartbeatIntervalMs: 1_000,
      maxLen: 100_000,
      startFrom: '0',
      clock: systemClock,
    });
    expect(settings.consumerName).toMatch(/^payments-.+-\d+-[0-9a-f]{8}$/);
  });

  it('gives every instance its own consumer name', () => {
    expect(serverSettings({ service: 'a' }).consumerName).not.toBe(serverSettings({ service: 'a' }).consumerName);
  });

  it.each([
    [{ service: 'Payments' }, 'service must be 1 to 100 of a-z'],
    [{ service: 'p', concurrency: 0 }, 'concurrency Too small'],
    [{ service: 'p', url: 'http://x' }, 'url must start with redis:// or rediss://'],
    [{ service: 'p', startFrom: 'latest' }, 'startFrom'],
    [
      { service: 'p', retryMaxDelayMs: 30_000, claimIdleMs: 30_000 },
      'retryMaxDelayMs (30000) must be below claimIdleMs (30000)',
    ],
    [
      { service: 'p', livenessTtlMs: 1_000, heartbeatIntervalMs: 1_000 },
      'heartbeatIntervalMs (1000) must be below livenessTtlMs (1000)',
    ],
    [{ service: 'p', livenessTtlMs: 0 }, 'livenessTtlMs Too small'],
    [{ service: 'p', url: 'redis://h:1?cluster=on' }, 'url has cluster=on: the cluster parameter is true'],
    [
      { service: 'p', url: 'redis://h:1?cluster=true', prefix: 'shop{a}:' },
      'prefix: The prefix "shop{a}:" holds a brace',
    ],
  ])('refuses %j, saying which option and why', (options, message) => {
    let error: unknown;
    try {
      serverSettings(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StreamsError);
    expect((error as StreamsError).code).toBe('STREAMS_OPTIONS_INVALID');
    expect((error as Error).message).toContain(message);
  });
});

describe('the topology', () => {
  it('is a single Redis unless the URL says cluster=true', () => {
    expect(serverSettings({ service: 'p' }).cluster).toBe(false);
    expect(clientSettings({ origin: 'o', url: 'redis://h:1?cluster=false' }).cluster).toBe(false);
    expect(serverSettings({ service: 'p', url: 'redis://h:1?cluster=true' }).cluster).toBe(true);
    expect(clientSettings({ origin: 'o', url: 'rediss://h:1?cluster=true' })).toMatchObject({
      cluster: true,
      url: 'rediss://h:1?cluster=true',
    });
  });
});

describe('client options', () => {
  it('needs an origin and gives each instance its own id', () => {
    expect(() => clientSettings({} as never)).toThrow(/origin/);
    const a = clientSettings({ origin: 'orders' });
    expect(a.requestTimeoutMs).toBe(5_000);
    expect(a.instanceId).not.toBe(clientSettings({ origin: 'orders' }).instanceId);
  });
});

describe('trimArguments', () => {
  const base = { maxLen: 100_000, streamLimits: {} };

  it('trims by approximate length by default', () => {
    expect(trimArguments(base, 'evt:x')).toEqual(['MAXLEN', '~', '100000']);
  });

  it('uses a per-stream length', () => {
    expect(trimArguments({ ...base, streamLimits: { 'evt:x': { maxLen: 10 } } }, 'evt:x')).toEqual([
      'MAXLEN',
      '~',
      '10',
    ]);
    expect(trimArguments({ ...base, streamLimits: { 'evt:x': { maxLen: 10 } } }, 'evt:y')).toEqual([
      'MAXLEN',
      '~',
      '100000',
    ]);
  });

  it('trims by age with MINID when an age is set', () => {
    expect(trimArguments({ ...base, maxAgeMs: 60_000 }, 'evt:x', 1_000_000)).toEqual(['MINID', '~', '940000-0']);
    expect(trimArguments({ ...base, streamLimits: { 'evt:x': { maxAgeMs: 1_000 } } }, 'evt:x', 5_000)).toEqual([
      'MINID',
      '~',
      '4000-0',
    ]);
  });

  it('lets a per-stream length win over a global age', () => {
    expect(trimArguments({ ...base, maxAgeMs: 60_000, streamLimits: { 'evt:x': { maxLen: 5 } } }, 'evt:x')).toEqual([
      'MAXLEN',
      '~',
      '5',
    ]);
  });
});
