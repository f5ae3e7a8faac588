import { withEnv } from '../../../tools/testing/with-env';
import { idempotencyPinsConfig } from './idempotency-pins.config';

const read = (hours: string | undefined) =>
  withEnv({ STRANGLER_IDEMPOTENCY_TTL_HOURS: hours }, async () => idempotencyPinsConfig());

describe('the idempotency pins configuration', () => {
  it('keeps a pin 24 hours by default, as the services keep their keys', async () => {
    expect(await read(undefined)).toEqual({ ttlMs: 24 * 3_600_000 });
  });

  it('takes STRANGLER_IDEMPOTENCY_TTL_HOURS in hours', async () => {
    expect(await read('48')).toEqual({ ttlMs: 48 * 3_600_000 });
  });

  it.each(['0', '8761', 'soon'])('refuses STRANGLER_IDEMPOTENCY_TTL_HOURS=%j, naming it', async (value) => {
    await expect(read(value)).rejects.toThrow(`STRANGLER_IDEMPOTENCY_TTL_HOURS is ${JSON.stringify(value)}`);
  });
});
