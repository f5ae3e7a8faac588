import { AdminHarness, TEST_ADMIN_TOKEN } from '../support/admin-harness';

const GUARDED: [string, string][] = [
  ['get', '/admin/rules'],
  ['put', '/admin/rules'],
  ['post', '/admin/rules/validate'],
  ['get', '/admin/rules/versions'],
  ['get', '/admin/rules/versions/1'],
  ['get', '/admin/rules/diff?from=1&to=1'],
  ['post', '/admin/rules/rollback'],
  ['patch', '/admin/rules/routes/products-read'],
  ['patch', '/admin/rules/groups/orders'],
  ['post', '/admin/explain'],
  ['get', '/admin/audit'],
  ['get', '/admin/traffic'],
  ['get', '/admin/guards'],
  ['get', '/admin/status'],
  ['get', '/metrics'],
  ['get', '/health/ready'],
  ['get', '/api-docs-json'],
];

describe('admin authentication', () => {
  let admin: AdminHarness;
  beforeAll(async () => {
    admin = await AdminHarness.start();
  });
  afterAll(() => admin.close());

  it.each(GUARDED)('refuses %s %s without a token', async (method, path) => {
    const response = await admin.http()[method as 'get'](path).expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHENTICATED',
      message: 'The admin API needs an Authorization: Bearer <admin token> header.',
    });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="strangler-admin"');
  });

  it.each([
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['the token with one character changed', `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}x`],
    ['a prefix of the token', `Bearer ${TEST_ADMIN_TOKEN.slice(0, 8)}`],
    ['the token and more', `Bearer ${TEST_ADMIN_TOKEN}x`],
    ['another scheme', `Basic ${TEST_ADMIN_TOKEN}`],
    ['the bare token', TEST_ADMIN_TOKEN],
  ])('refuses %s', async (_what, header) => {
    const response = await admin.http().get('/admin/rules').set('Authorization', header).expect(401);
    expect(response.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The admin token is wrong, or the header is not "Bearer <token>".',
    });
  });

  it('lets the right token through, whatever the scheme’s case', async () => {
    await admin.http().get('/admin/rules').set(admin.auth).expect(200);
    await admin.http().get('/admin/rules').set('Authorization', `bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    await admin.http().get('/metrics').set(admin.auth).expect(200);
  });

  it('compares tokens in constant time', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require('node:crypto') as typeof import('node:crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      await admin.http().get('/admin/status').set('Authorization', 'Bearer wrong').expect(401);
      await admin.http().get('/admin/status').set(admin.auth).expect(200);
      expect(spy).toHaveBeenCalledTimes(2);
      // Digests of equal length whatever the token's length, so the length does not leak either.
      for (const [a, b] of spy.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ['get', '/admin/no-such-route'],
    ['get', '/admin'],
    ['get', '/'],
    ['post', '/admin/rules/no-such-thing'],
    ['delete', '/admin/rules'],
    ['get', '/api-docs'],
    ['get', '/health/anything'],
  ])('refuses %s %s without a token before looking the route up, so routes cannot be listed', async (method, path) => {
    const response = await admin.http()[method as 'get'](path).expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHENTICATED',
      message: 'The admin API needs an Authorization: Bearer <admin token> header.',
    });
    await admin.http()[method as 'get'](path).set('Authorization', 'Bearer wrong-token-wrong-token').expect(401);
  });

  it('answers 404 ROUTE_NOT_FOUND only to a caller with a valid token', async () => {
    const response = await admin.http().get('/admin/no-such-route').set(admin.auth).expect(404);
    expect(response.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('refuses a request without a token before reading its body', async () => {
    const response = await admin
      .http()
      .put('/admin/rules')
      .set('content-type', 'application/json')
      .send('{"document": ')
      .expect(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('leaves liveness open', async () => {
    const response = await admin.http().get('/health/live').expect(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });
});
