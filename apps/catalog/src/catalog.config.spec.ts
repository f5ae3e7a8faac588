import { withEnv } from '../../../tools/testing/with-env';
import { DEFAULT_CATALOG_MAX_LAG_MS, catalogConfig } from './catalog.config';

const read = (value: string | undefined) => withEnv({ CATALOG_MAX_LAG_MS: value }, async () => catalogConfig());

describe('the catalog configuration', () => {
  it('allows a minute of projection lag by default', async () => {
    expect(await read(undefined)).toEqual({ maxLagMs: DEFAULT_CATALOG_MAX_LAG_MS });
    expect(DEFAULT_CATALOG_MAX_LAG_MS).toBe(60_000);
  });

  it('takes CATALOG_MAX_LAG_MS in milliseconds', async () => {
    expect(await read('5000')).toEqual({ maxLagMs: 5_000 });
  });

  it.each(['0', '-1', 'abc', '1.5'])('refuses CATALOG_MAX_LAG_MS=%s, naming it', async (value) => {
    await expect(read(value)).rejects.toThrow(
      `CATALOG_MAX_LAG_MS is "${value}"; allowed: an integer from 1 to 86400000`,
    );
  });
});
