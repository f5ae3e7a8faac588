import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TOKEN_KEYS, UUID, expectError, expectJson } from './support/api-expectations';
import { Customer, LegacyHarness, Product, TEST_ADMIN, TEST_JWT_SECRET, bearer } from './support/legacy-harness';
import {
  claims,
  decodeToken,
  handSignedToken,
  nowSeconds,
  signToken,
  tamperedToken,
  unsignedToken,
} from './support/tokens';

describe('tokens and authentication', () => {
  let legacy: LegacyHarness;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
  });
  afterAll(() => legacy.close());

  describe('POST /api/auth/token (anyone)', () => {
    it('answers 200 { accessToken, tokenType: "Bearer", expiresIn: 900 } for a customer', async () => {
      const customer = await legacy.registerCustomer();

      const response = await legacy
        .http()
        .post('/api/auth/token')
        .send({ email: customer.email, password: customer.password });

      expect(response.status).toBe(200);
      expectJson(response);
      expect(Object.keys(response.body)).toEqual(TOKEN_KEYS);
      expect(response.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    });

    it('issues an HS256 JWT signed with JWT_SECRET, claims sub (the customer id), role customer, iat, exp = iat + 900', async () => {
      const customer = await legacy.registerCustomer();
      const before = nowSeconds();

      const token = await legacy.token(customer.email, customer.password);

      const after = nowSeconds();
      const { header, payload } = decodeToken(token);
      expect(header).toMatchObject({ alg: 'HS256' });
      expect(jwt.verify(token, TEST_JWT_SECRET, { algorithms: ['HS256'] })).toEqual(payload);
      expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'role', 'sub']);
      expect(payload).toEqual({ sub: customer.id, role: 'customer', iat: expect.any(Number), exp: expect.any(Number) });
      expect(payload.iat).toBeGreaterThanOrEqual(before);
      expect(payload.iat).toBeLessThanOrEqual(after);
      expect(payload.exp).toBe((payload.iat as number) + 900);
    });

    it('issues the admin of ADMIN_EMAIL and ADMIN_PASSWORD (development defaults) a token with role admin', async () => {
      const response = await legacy.http().post('/api/auth/token').send(TEST_ADMIN);

      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual(TOKEN_KEYS);
      expect(response.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      const { header, payload } = decodeToken(response.body.accessToken);
      expect(header).toMatchObject({ alg: 'HS256' });
      expect(payload).toEqual({
        sub: expect.stringMatching(UUID),
        role: 'admin',
        iat: expect.any(Number),
        exp: (payload.iat as number) + 900,
      });
      const adminRoute = await legacy
        .http()
        .post('/api/products')
        .set(bearer(response.body.accessToken))
        .send({ sku: `ADM-${randomUUID().slice(0, 8).toUpperCase()}`, name: 'Admin made', priceCents: 1 });
      expect(adminRoute.status).toBe(201);
    });

    it('gives the admin the same id in every token', async () => {
      const first = decodeToken(await legacy.token(TEST_ADMIN.email, TEST_ADMIN.password)).payload;
      const second = decodeToken(await legacy.token(TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password)).payload;

      expect(second.sub).toBe(first.sub);
      expect(second.role).toBe('admin');
    });

    it('compares the email case-insensitively', async () => {
      const customer = await legacy.registerCustomer({ email: `Case-${randomUUID()}@Example.com` });

      const response = await legacy
        .http()
        .post('/api/auth/token')
        .send({ email: customer.email.toUpperCase(), password: customer.password });

      expect(response.status).toBe(200);
      expect(decodeToken(response.body.accessToken).payload.sub).toBe(customer.id);
    });

    it('answers 401 INVALID_CREDENTIALS, the same answer, for an unknown email and for a wrong password', async () => {
      const customer = await legacy.registerCustomer();

      const wrongPassword = await legacy
        .http()
        .post('/api/auth/token')
        .send({ email: customer.email, password: 'not the password' });
      const unknownEmail = await legacy
        .http()
        .post('/api/auth/token')
        .send({ email: `nobody-${randomUUID()}@example.com`, password: 'not the password' });

      expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
      expectError(unknownEmail, 401, 'INVALID_CREDENTIALS');
      expect(unknownEmail.body).toEqual(wrongPassword.body);
    });

    it.each([
      ["the admin's email with a wrong password", () => ({ email: TEST_ADMIN.email, password: 'wrong-password' })],
      [
        'a password differing only in case',
        (customer: Customer) => ({ ...creds(customer), password: 'A STRONG PASSWORD' }),
      ],
      [
        'a password with a trailing space',
        (customer: Customer) => ({ ...creds(customer), password: 'a strong password ' }),
      ],
    ])('answers 401 INVALID_CREDENTIALS for %s', async (_case, body) => {
      const customer = await legacy.registerCustomer({ password: 'a strong password' });

      expectError(await legacy.http().post('/api/auth/token').send(body(customer)), 401, 'INVALID_CREDENTIALS');
    });

    it.each([
      ['no email', { password: 'a strong password' }],
      ['no password', { email: 'someone@example.com' }],
      ['an email that is a number', { email: 42, password: 'a strong password' }],
      ['an email with a NUL character', { email: 'someone\u0000@example.com', password: 'a strong password' }],
      ['a password that is a number', { email: 'someone@example.com', password: 12345678 }],
      ['an unknown field', { email: 'someone@example.com', password: 'a strong password', role: 'admin' }],
      ['an empty body object', {}],
    ])('answers 400 VALIDATION_FAILED for %s', async (_case, body) => {
      expectError(await legacy.http().post('/api/auth/token').send(body), 400, 'VALIDATION_FAILED');
    });
  });

  describe('routes that need a token', () => {
    let customer: Customer;
    let product: Product;
    let orderId: string;

    beforeAll(async () => {
      customer = await legacy.registerCustomer();
      product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      await legacy.deposit(customer, 1_000);
      orderId = (await legacy.order(customer, [{ productId: product.id, quantity: 1 }])).id;
    });

    const protectedRoutes: [string, string, () => string, () => object | undefined][] = [
      ['GET', '/api/customers/{id}', () => `/api/customers/${customer.id}`, () => undefined],
      [
        'POST',
        '/api/customers/{id}/deposits',
        () => `/api/customers/${customer.id}/deposits`,
        () => ({ amountCents: 1 }),
      ],
      ['POST', '/api/products', () => '/api/products', () => ({ sku: 'NO-TOKEN-1', name: 'x', priceCents: 1 })],
      [
        'POST',
        '/api/products/{id}/stock-adjustments',
        () => `/api/products/${product.id}/stock-adjustments`,
        () => ({ delta: 1, reason: 'count' }),
      ],
      ['POST', '/api/orders', () => '/api/orders', () => ({ items: [{ productId: product.id, quantity: 1 }] })],
      ['GET', '/api/orders/{id}', () => `/api/orders/${orderId}`, () => undefined],
      ['GET', '/api/orders', () => '/api/orders', () => undefined],
      ['POST', '/api/orders/{id}/cancel', () => `/api/orders/${orderId}/cancel`, () => undefined],
    ];

    const call = (method: string, path: string, body: object | undefined) => {
      const test = method === 'GET' ? legacy.http().get(path) : legacy.http().post(path);
      return body === undefined ? test : test.send(body);
    };

    it.each(protectedRoutes)(
      '%s %s without a token answers 401 UNAUTHENTICATED',
      async (method, _route, path, body) => {
        expectError(await call(method, path(), body()), 401, 'UNAUTHENTICATED');
      },
    );

    it('changes nothing when a token is missing', async () => {
      const stock = await legacy.stock(product.id);
      const balance = await legacy.balance(customer);
      for (const [method, , path, body] of protectedRoutes) await call(method, path(), body());

      expect(await legacy.stock(product.id)).toBe(stock);
      expect(await legacy.balance(customer)).toBe(balance);
      const order = await legacy.http().get(`/api/orders/${orderId}`).set(bearer(customer.token));
      expect(order.body.status).toBe('APPROVED');
      expect((await legacy.orders(customer)).length).toBe(1);
      const created = await legacy.http().get('/api/products').query({ q: 'NO-TOKEN-1' });
      expect(created.body.total).toBe(0);
    });

    const past = () => nowSeconds() - 3_600;
    const badAuthorizations: [string, () => string][] = [
      ['an empty Authorization header', () => ''],
      ['"Bearer" without a token', () => 'Bearer'],
      ['"Bearer " and spaces', () => 'Bearer    '],
      ['a Basic credential', () => `Basic ${Buffer.from(`${customer.email}:${customer.password}`).toString('base64')}`],
      ['a token without the Bearer scheme', () => customer.token],
      ['a token that is not a JWT', () => 'Bearer not-a-jwt'],
      ['three dots', () => 'Bearer a.b.c'],
      ['two tokens', () => `Bearer ${customer.token} ${customer.token}`],
      [
        'an expired token (exp an hour ago)',
        () => `Bearer ${signToken({ sub: customer.id, role: 'customer', iat: past() - 900, exp: past() })}`,
      ],
      [
        'a token that expired a second ago',
        () =>
          `Bearer ${signToken({ sub: customer.id, role: 'customer', iat: nowSeconds() - 901, exp: nowSeconds() - 1 })}`,
      ],
      [
        'a token signed with another secret',
        () =>
          `Bearer ${signToken(claims(customer.id, 'customer'), { secret: 'another-secret-0123456789abcdef012345' })}`,
      ],
      [
        'a token signed with HS512 instead of HS256',
        () => `Bearer ${signToken(claims(customer.id, 'customer'), { algorithm: 'HS512' })}`,
      ],
      ['an unsigned token (alg none)', () => `Bearer ${unsignedToken(claims(customer.id, 'customer'))}`],
      ['an unsigned admin token (alg none)', () => `Bearer ${unsignedToken(claims(randomUUID(), 'admin'))}`],
      [
        'a token whose payload was changed after signing',
        () => `Bearer ${tamperedToken(customer.token, { ...decodeToken(customer.token).payload, role: 'admin' })}`,
      ],
      ['a token without a signature', () => `Bearer ${customer.token.split('.').slice(0, 2).join('.')}.`],
      ['a token without sub', () => `Bearer ${signToken({ ...claims(customer.id, 'customer'), sub: undefined })}`],
      ['a token without role', () => `Bearer ${signToken({ ...claims(customer.id, 'customer'), role: undefined })}`],
      [
        'a token with an unknown role',
        () => `Bearer ${signToken({ ...claims(customer.id, 'customer'), role: 'superuser' })}`,
      ],
      ['a token without exp', () => `Bearer ${signToken({ ...claims(customer.id, 'customer'), exp: undefined })}`],
      ['a token without iat', () => `Bearer ${signToken({ ...claims(customer.id, 'customer'), iat: undefined })}`],
      [
        'a token whose exp is a string',
        () => `Bearer ${handSignedToken({ ...claims(customer.id, 'customer'), exp: 'never' })}`,
      ],
      ['a token whose sub is not an id', () => `Bearer ${signToken({ ...claims('customer', 'customer') })}`],
    ];

    it.each(badAuthorizations)('answers 401 UNAUTHENTICATED for %s', async (_case, authorization) => {
      const response = await legacy.http().get(`/api/customers/${customer.id}`).set('authorization', authorization());

      expectError(response, 401, 'UNAUTHENTICATED');
    });

    it.each(badAuthorizations)(
      'answers 401 UNAUTHENTICATED to a deposit with %s, and changes nothing',
      async (_case, authorization) => {
        const balance = await legacy.balance(customer);

        const response = await legacy
          .http()
          .post(`/api/customers/${customer.id}/deposits`)
          .set('authorization', authorization())
          .send({ amountCents: 100 });

        expectError(response, 401, 'UNAUTHENTICATED');
        expect(await legacy.balance(customer)).toBe(balance);
      },
    );

    it('accepts a token built by hand with HMAC-SHA256 and JWT_SECRET (the hand-built tokens above are well formed)', async () => {
      const token = handSignedToken({ ...claims(customer.id, 'customer') });

      expect((await legacy.http().get(`/api/customers/${customer.id}`).set(bearer(token))).status).toBe(200);
    });

    it('accepts a token the test signs itself with JWT_SECRET, as the service signs them', async () => {
      const response = await legacy
        .http()
        .get(`/api/customers/${customer.id}`)
        .set(bearer(signToken(claims(customer.id, 'customer'))));

      expect(response.status).toBe(200);
      expect(response.body.id).toBe(customer.id);
    });

    it('accepts a token that is still valid for a second', async () => {
      const token = signToken({ sub: customer.id, role: 'customer', iat: nowSeconds() - 899, exp: nowSeconds() + 2 });

      expect((await legacy.http().get(`/api/customers/${customer.id}`).set(bearer(token))).status).toBe(200);
    });

    it('answers 403 FORBIDDEN to a customer creating a product, and creates none', async () => {
      const sku = `FORBIDDEN-${randomUUID().slice(0, 8).toUpperCase()}`;

      const response = await legacy
        .http()
        .post('/api/products')
        .set(bearer(customer.token))
        .send({ sku, name: 'Not allowed', priceCents: 100 });

      expectError(response, 403, 'FORBIDDEN');
      expect((await legacy.http().get('/api/products').query({ q: sku })).body.total).toBe(0);
    });

    it('answers 403 FORBIDDEN to a customer adjusting stock, and the stock does not change', async () => {
      const stock = await legacy.stock(product.id);

      const response = await legacy
        .http()
        .post(`/api/products/${product.id}/stock-adjustments`)
        .set(bearer(customer.token))
        .send({ delta: 5, reason: 'found some' });

      expectError(response, 403, 'FORBIDDEN');
      expect(await legacy.stock(product.id)).toBe(stock);
    });

    it('answers 403 FORBIDDEN to an admin placing an order, and places none', async () => {
      const admin = await legacy.adminToken();
      const stock = await legacy.stock(product.id);
      const before = (await legacy.http().get('/api/orders').set(bearer(admin))).body.total;

      const response = await legacy
        .http()
        .post('/api/orders')
        .set(bearer(admin))
        .send({ items: [{ productId: product.id, quantity: 1 }] });

      expectError(response, 403, 'FORBIDDEN');
      expect((await legacy.http().get('/api/orders').set(bearer(admin))).body.total).toBe(before);
      expect(await legacy.stock(product.id)).toBe(stock);
    });

    it('answers 403 FORBIDDEN to a forged admin-route call with a customer token whose role claim says customer', async () => {
      const token = signToken(claims(customer.id, 'customer'));

      const response = await legacy
        .http()
        .post(`/api/products/${product.id}/stock-adjustments`)
        .set(bearer(token))
        .send({ delta: 1, reason: 'count' });

      expectError(response, 403, 'FORBIDDEN');
    });

    describe('checks authentication (401), then the role (403), then the input (400), then the use case', () => {
      it('answers 401, not 400, to an invalid body without a token', async () => {
        expectError(await legacy.http().post('/api/products').send({ sku: 'lower case' }), 401, 'UNAUTHENTICATED');
      });

      it('answers 401, not 400, to a non-UUID path id without a token', async () => {
        expectError(await legacy.http().get('/api/orders/not-a-uuid'), 401, 'UNAUTHENTICATED');
      });

      it('answers 403, not 400, to an invalid body from a customer on an admin route', async () => {
        const response = await legacy.http().post('/api/products').set(bearer(customer.token)).send({ sku: 1 });

        expectError(response, 403, 'FORBIDDEN');
      });

      it('answers 403, not 400, to a non-UUID path id from a customer on an admin route', async () => {
        const response = await legacy
          .http()
          .post('/api/products/not-a-uuid/stock-adjustments')
          .set(bearer(customer.token))
          .send({ delta: 1, reason: 'count' });

        expectError(response, 403, 'FORBIDDEN');
      });

      it('answers 403, not 400, to an invalid order from an admin', async () => {
        const response = await legacy
          .http()
          .post('/api/orders')
          .set(bearer(await legacy.adminToken()))
          .send({ items: [] });

        expectError(response, 403, 'FORBIDDEN');
      });

      it("answers 400, not 403, to an invalid deposit into another customer's wallet", async () => {
        const other = await legacy.registerCustomer();

        const response = await legacy
          .http()
          .post(`/api/customers/${other.id}/deposits`)
          .set(bearer(customer.token))
          .send({ amountCents: 0 });

        expectError(response, 400, 'VALIDATION_FAILED');
      });
    });
  });

  describe('an admin account configured by ADMIN_EMAIL and ADMIN_PASSWORD', () => {
    let configured: LegacyHarness;
    const boss = { email: `Boss-${randomUUID().slice(0, 8)}@Shop.Test`, password: 'the boss password' };

    beforeAll(async () => {
      configured = await LegacyHarness.start({ env: { ADMIN_EMAIL: boss.email, ADMIN_PASSWORD: boss.password } });
    });
    afterAll(() => configured.close());

    it('gets an admin token with that email (any case) and password', async () => {
      for (const email of [boss.email, boss.email.toLowerCase()]) {
        const response = await configured.http().post('/api/auth/token').send({ email, password: boss.password });

        expect(response.status).toBe(200);
        expect(decodeToken(response.body.accessToken).payload).toMatchObject({ role: 'admin' });
      }
    });

    it('no longer accepts the development defaults', async () => {
      expectError(await configured.http().post('/api/auth/token').send(TEST_ADMIN), 401, 'INVALID_CREDENTIALS');
      expectError(
        await configured.http().post('/api/auth/token').send({ email: boss.email, password: TEST_ADMIN.password }),
        401,
        'INVALID_CREDENTIALS',
      );
    });

    it('keeps that email from customers: 409 CUSTOMER_EMAIL_TAKEN', async () => {
      const response = await configured
        .http()
        .post('/api/customers')
        .send({ name: 'Impostor', email: boss.email.toUpperCase(), password: 'a password' });

      expectError(response, 409, 'CUSTOMER_EMAIL_TAKEN');
    });
  });
});

function creds(customer: Customer) {
  return { email: customer.email, password: customer.password };
}
