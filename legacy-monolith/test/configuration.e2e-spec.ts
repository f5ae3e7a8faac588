import request from 'supertest';
import { createSqliteDatabase } from '../../tools/testing/test-databases';
import { deleteTestKeys, uniqueTestPrefix } from '../../tools/testing/test-redis';
import { withEnv } from '../../tools/testing/with-env';
import { buildLegacyApp } from '../src/legacy-app';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-of-32-characters!',
  ADMIN_EMAIL: 'Ops@Example.com',
  ADMIN_PASSWORD: 'a long admin password',
};

describe('monolith configuration', () => {
  const database = createSqliteDatabase();
  const prefix = uniqueTestPrefix('legacy-config');
  afterAll(async () => {
    await database.drop();
    await deleteTestKeys(prefix);
  });

  const build = (env: Record<string, string | undefined>) =>
    withEnv({ DATABASE_URL: database.url, REDIS_PREFIX: prefix, ...env }, () => buildLegacyApp());

  it.each([
    [
      'JWT_SECRET is unset in production',
      { JWT_SECRET: undefined },
      'JWT_SECRET is undefined; allowed: a secret of at least 32 characters',
    ],
    [
      'JWT_SECRET is short in production',
      { JWT_SECRET: 'short' },
      'JWT_SECRET is "short"; allowed: a secret of at least 32',
    ],
    [
      'ADMIN_PASSWORD is unset in production',
      { ADMIN_PASSWORD: undefined },
      'ADMIN_PASSWORD is undefined; allowed: at least 12 characters',
    ],
    [
      'ADMIN_EMAIL is unset in production',
      { ADMIN_EMAIL: undefined },
      'ADMIN_EMAIL is undefined; allowed: an email address',
    ],
    [
      'DATABASE_URL is not a supported database',
      { DATABASE_URL: 'mysql://x/y' },
      'DATABASE_URL is "mysql://x/y"; allowed: sqlite:',
    ],
    [
      'PASSWORD_SCRYPT_COST is too low',
      { PASSWORD_SCRYPT_COST: '9' },
      'PASSWORD_SCRYPT_COST is "9"; allowed: an integer from 10 to 20',
    ],
    [
      'IDEMPOTENCY_TTL_HOURS is under a day',
      { IDEMPOTENCY_TTL_HOURS: '1' },
      'IDEMPOTENCY_TTL_HOURS is "1"; allowed: an integer from 24',
    ],
  ])('refuses to start when %s', async (_case, overrides, message) => {
    await expect(build({ ...PRODUCTION, ...overrides })).rejects.toThrow(message);
  });

  it('starts in production with every secret given, with the configured admin account', async () => {
    const app = await build(PRODUCTION);
    try {
      await app.listen(0, '127.0.0.1');
      const response = await request(await app.getUrl())
        .post('/api/auth/token')
        .send({ email: 'ops@example.com', password: PRODUCTION.ADMIN_PASSWORD })
        .expect(200);
      const payload = JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString());
      expect(payload.role).toBe('admin');
      await request(await app.getUrl())
        .post('/api/auth/token')
        .send({ email: 'admin@example.com', password: 'admin-password' })
        .expect(401);
    } finally {
      await app.close();
    }
  });

  it('starts in development without JWT_SECRET, signing with the development secret', async () => {
    const app = await build({ NODE_ENV: 'development', JWT_SECRET: undefined });
    try {
      await app.listen(0, '127.0.0.1');
      const response = await request(await app.getUrl())
        .post('/api/auth/token')
        .send({ email: 'admin@example.com', password: 'admin-password' })
        .expect(200);
      expect(response.body.tokenType).toBe('Bearer');
    } finally {
      await app.close();
    }
  });
});
