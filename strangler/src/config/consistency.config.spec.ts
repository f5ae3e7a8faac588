import { withEnv } from '../../../tools/testing/with-env';
import { consistencyConfig } from './consistency.config';

const read = (vars: Record<string, string | undefined>) =>
  withEnv(
    {
      STRANGLER_CONSISTENCY: undefined,
      STRANGLER_CONSISTENCY_TTL_MINUTES: undefined,
      STRANGLER_CONSISTENCY_WINDOW_MS: undefined,
      STRANGLER_CONSISTENCY_LEASE_MS: undefined,
      STRANGLER_CONSISTENCY_MEMORY_MAX: undefined,
      ...vars,
    },
    async () => consistencyConfig(),
  );

describe('the consistency configuration', () => {
  it('is on by default: aggregates kept an hour, collections awaited a minute back, memory trusted a second after a beat', async () => {
    expect(await read({})).toEqual({
      enabled: true,
      ttlMs: 3_600_000,
      windowMs: 60_000,
      leaseMs: 1_000,
      memoryMax: 100_000,
    });
  });

  it('takes each variable', async () => {
    expect(
      await read({
        STRANGLER_CONSISTENCY: 'off',
        STRANGLER_CONSISTENCY_TTL_MINUTES: '5',
        STRANGLER_CONSISTENCY_WINDOW_MS: '2000',
        STRANGLER_CONSISTENCY_LEASE_MS: '250',
        STRANGLER_CONSISTENCY_MEMORY_MAX: '500',
      }),
    ).toEqual({ enabled: false, ttlMs: 300_000, windowMs: 2_000, leaseMs: 250, memoryMax: 500 });
  });

  it.each([
    ['STRANGLER_CONSISTENCY', 'yes'],
    ['STRANGLER_CONSISTENCY_TTL_MINUTES', '0'],
    ['STRANGLER_CONSISTENCY_TTL_MINUTES', '10081'],
    ['STRANGLER_CONSISTENCY_WINDOW_MS', '999'],
    ['STRANGLER_CONSISTENCY_WINDOW_MS', 'a minute'],
    ['STRANGLER_CONSISTENCY_LEASE_MS', '99'],
    ['STRANGLER_CONSISTENCY_LEASE_MS', '60001'],
    ['STRANGLER_CONSISTENCY_MEMORY_MAX', '0'],
  ])('refuses %s=%j, naming it', async (name, value) => {
    await expect(read({ [name]: value })).rejects.toThrow(`${name} is ${JSON.stringify(value)}`);
  });
});
