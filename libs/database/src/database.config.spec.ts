import { ConfigValidationError } from '@app/service-defaults';
import { withEnv } from '../../../tools/testing/with-env';
import { createDatabaseConfig, parseDatabaseUrl } from './database.config';

describe('parseDatabaseUrl', () => {
  it.each([
    [
      'sqlite:data/x.sqlite',
      { kind: 'sqlite', path: 'data/x.sqlite', url: 'sqlite:data/x.sqlite', busyTimeoutMs: 5000 },
    ],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:', url: 'sqlite::memory:', busyTimeoutMs: 5000 }],
    ['sqlite:/abs/path.db', { kind: 'sqlite', path: '/abs/path.db', url: 'sqlite:/abs/path.db', busyTimeoutMs: 5000 }],
    ['postgres://u@h:5432/db', { kind: 'postgres', url: 'postgres://u@h:5432/db', poolSize: 10 }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });
});

describe('the database configuration area', () => {
  const read = (env: Record<string, string | undefined>) =>
    withEnv({ DATABASE_URL: undefined, DATABASE_POOL_SIZE: undefined, ...env }, async () =>
      createDatabaseConfig('catalog')(),
    );

  it('reads DATABASE_BUSY_TIMEOUT_MS for SQLite, 5000 ms by default', async () => {
    expect(await read({ DATABASE_BUSY_TIMEOUT_MS: undefined })).toMatchObject({
      kind: 'sqlite',
      path: 'data/catalog.sqlite',
      busyTimeoutMs: 5000,
    });
    expect(await read({ DATABASE_BUSY_TIMEOUT_MS: '0' })).toMatchObject({ busyTimeoutMs: 0 });
    expect(await read({ DATABASE_BUSY_TIMEOUT_MS: '60000' })).toMatchObject({ busyTimeoutMs: 60000 });
  });

  it.each(['-1', '60001', '1.5', 'soon'])(
    'refuses DATABASE_BUSY_TIMEOUT_MS=%j and says what is allowed',
    async (value) => {
      const reading = read({ DATABASE_BUSY_TIMEOUT_MS: value });
      await expect(reading).rejects.toBeInstanceOf(ConfigValidationError);
      await expect(reading).rejects.toThrow(
        `DATABASE_BUSY_TIMEOUT_MS is ${JSON.stringify(value)}; allowed: an integer from 0 to 60000 (default 5000)`,
      );
    },
  );
});
