import { readSagasConfig } from './sagas.config';

describe('the sagas configuration', () => {
  it('defaults: a 30 s lease, a look for due instances every second, stuck after a minute', () => {
    expect(readSagasConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'ficus:',
      leaseMs: 30_000,
      pollIntervalMs: 1_000,
      stuckAfterMs: 60_000,
    });
  });

  it('takes each variable', () => {
    expect(
      readSagasConfig({
        REDIS_URL: 'redis://redis:6380',
        REDIS_PREFIX: 'shop:',
        SAGAS_LEASE_MS: '10000',
        SAGAS_POLL_INTERVAL_MS: '250',
        SAGAS_STUCK_AFTER_MS: '5000',
      }),
    ).toEqual({
      redisUrl: 'redis://redis:6380',
      redisPrefix: 'shop:',
      leaseMs: 10_000,
      pollIntervalMs: 250,
      stuckAfterMs: 5_000,
    });
  });

  it.each([
    ['SAGAS_LEASE_MS', '999'],
    ['SAGAS_LEASE_MS', 'half a minute'],
    ['SAGAS_POLL_INTERVAL_MS', '9'],
    ['SAGAS_STUCK_AFTER_MS', '86400001'],
    ['REDIS_URL', 'http://redis'],
  ])('refuses %s=%j, naming it', (name, value) => {
    expect(() => readSagasConfig({ [name]: value })).toThrow(name);
  });
});
