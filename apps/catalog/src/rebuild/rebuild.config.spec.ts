import { withEnv } from '../../../../tools/testing/with-env';
import { ConfigValidationError } from '@app/service-defaults';
import { rebuildConfig } from './rebuild.config';

const read = (vars: Record<string, string | undefined>) => withEnv(vars, async () => rebuildConfig());
const UNSET = { LEGACY_URL: undefined, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined, REDIS_URL: undefined };

describe('the rebuild configuration', () => {
  it('has development defaults', async () => {
    expect(await read({ ...UNSET, REDIS_PREFIX: undefined })).toEqual({
      legacyUrl: 'http://127.0.0.1:3000',
      adminEmail: 'admin@example.com',
      adminPassword: 'admin-password',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'ficus:',
    });
  });

  it('takes LEGACY_URL without its trailing slash', async () => {
    expect((await read({ ...UNSET, LEGACY_URL: 'https://legacy.internal:8443/' })).legacyUrl).toBe(
      'https://legacy.internal:8443',
    );
  });

  it('names every variable that is not allowed', async () => {
    const failure = read({ ...UNSET, LEGACY_URL: 'legacy:3000', ADMIN_EMAIL: 'admin', REDIS_URL: 'http://redis' });
    await expect(failure).rejects.toThrow(ConfigValidationError);
    await expect(failure).rejects.toMatchObject({
      problems: [
        'LEGACY_URL is "legacy:3000"; allowed: a URL with scheme http:// or https:// (default http://127.0.0.1:3000)',
        'ADMIN_EMAIL is "admin"; allowed: an email address (default "admin@example.com")',
        'REDIS_URL is "http://redis"; allowed: a URL with scheme redis:// or rediss://, and ?cluster=true when it names a node of a Redis Cluster (default redis://127.0.0.1:6379)',
      ],
    });
  });
});
