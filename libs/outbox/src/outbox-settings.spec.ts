import { readOutboxConfig } from './outbox.config';
import { resolveOutboxOptions } from './outbox-settings';

describe('resolveOutboxOptions', () => {
  const config = readOutboxConfig({});

  it('fills in the fixed defaults, and overrides win over the configuration', () => {
    expect(resolveOutboxOptions('orders', config, { pollIntervalMs: 60_000, startRelay: false })).toEqual({
      ...config,
      origin: 'orders',
      pollIntervalMs: 60_000,
      retryBaseDelayMs: 100,
      publishTimeoutMs: 5_000,
      purgeBatchSize: 1_000,
      startRelay: false,
      startPurger: true,
    });
  });

  it('names each bad setting and says what is allowed', () => {
    expect(() => resolveOutboxOptions('Orders!', config, { batchSize: 0, redisUrl: 'http://x' })).toThrow(
      expect.objectContaining({
        code: 'OUTBOX_OPTIONS_INVALID',
        message: expect.stringMatching(
          /origin must be 1 to 100 of a-z.*\(got "Orders!"\).*redisUrl must start with redis:\/\/ or rediss:\/\/.*batchSize .*\(got 0\)/,
        ),
      }),
    );
  });

  it('refuses unknown settings and a base delay above the maximum', () => {
    expect(() => resolveOutboxOptions('orders', config, { pollIntervalMS: 5 } as never)).toThrow(/pollIntervalMS/);
    expect(() => resolveOutboxOptions('orders', config, { retryBaseDelayMs: 5_000, retryMaxDelayMs: 1_000 })).toThrow(
      /retryBaseDelayMs \(5000\) must not exceed retryMaxDelayMs \(1000\)/,
    );
  });
});
