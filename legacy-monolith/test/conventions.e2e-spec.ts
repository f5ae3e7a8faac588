import { randomUUID } from 'node:crypto';
import { expectCustomerShape, expectError, expectJson, expectOrderShape } from './support/api-expectations';
import { Customer, LegacyHarness, Product, bearer } from './support/legacy-harness';
import { rawRequest } from './support/raw-http';

/** 100 KiB, the largest body the API accepts. */
const MAX_BODY_BYTES = 100 * 1024;

/** `body` as JSON padded with spaces (still valid JSON) to exactly `bytes` bytes. */
function paddedJson(body: object, bytes: number): string {
  const json = JSON.stringify(body);
  if (Buffer.byteLength(json) > bytes) throw new Error('body already larger than the padding target');
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
}

describe('conventions', () => {
  let legacy: LegacyHarness;
  let admin: string;
  let customer: Customer;
  let product: Product;
  let orderId: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    admin = await legacy.adminToken();
    customer = await legacy.registerCustomer();
    product = await legacy.createProduct({ priceCents: 100, stock: 1_000 });
    await legacy.deposit(customer, 100_000);
    orderId = (await legacy.order(customer, [{ productId: product.id, quantity: 1 }])).id;
  });
  afterAll(() => legacy.close());

  /** Every route that takes a body, with a token that may call it and a valid body. */
  const bodyRoutes: [string, () => string, () => string | undefined, () => object][] = [
    [
      'POST /api/customers',
      () => '/api/customers',
      () => undefined,
      () => ({ name: 'Body', email: `body-${randomUUID()}@example.com`, password: 'a password' }),
    ],
    [
      'POST /api/auth/token',
      () => '/api/auth/token',
      () => undefined,
      () => ({ email: 'x@example.com', password: 'y' }),
    ],
    [
      'POST /api/customers/{id}/deposits',
      () => `/api/customers/${customer.id}/deposits`,
      () => customer.token,
      () => ({ amountCents: 1 }),
    ],
    [
      'POST /api/products',
      () => '/api/products',
      () => admin,
      () => ({ sku: `BODY-${randomUUID().slice(0, 8).toUpperCase()}`, name: 'Body', priceCents: 1 }),
    ],
    [
      'POST /api/products/{id}/stock-adjustments',
      () => `/api/products/${product.id}/stock-adjustments`,
      () => admin,
      () => ({ delta: 1, reason: 'body' }),
    ],
    [
      'POST /api/orders',
      () => '/api/orders',
      () => customer.token,
      () => ({ items: [{ productId: product.id, quantity: 1 }] }),
    ],
    ['POST /api/orders/{id}/cancel', () => `/api/orders/${orderId}/cancel`, () => customer.token, () => ({})],
  ];

  const post = (path: string, token: string | undefined) => {
    const test = legacy.http().post(path);
    return token ? test.set(bearer(token)) : test;
  };

  /** What the body routes can change, to check that a refused request changed none of it. */
  const state = async () => ({
    balance: await legacy.balance(customer),
    product: await legacy.product(product.id),
    orders: (await legacy.orders(customer)).map((order) => [order.id, order.status]),
    catalog: (await legacy.http().get('/api/products').query({ q: 'BODY-', limit: 100 })).body.total,
  });

  describe('a body that is not valid JSON: 400 MALFORMED_JSON', () => {
    const malformed = ['{bad', '{"items": [}', "{'amountCents': 1}", '{"a": 1,}', '{"a": 1} trailing', 'undefined'];

    it.each(bodyRoutes)('%s', async (_route, path, token) => {
      const before = await state();

      for (const text of malformed) {
        const response = await post(path(), token()).set('content-type', 'application/json').send(text);

        expectError(response, 400, 'MALFORMED_JSON');
      }
      expect(await state()).toEqual(before);
    });

    it('also with an explicit charset', async () => {
      const response = await legacy
        .http()
        .post('/api/customers')
        .set('content-type', 'application/json; charset=utf-8')
        .send('{"name": ');

      expectError(response, 400, 'MALFORMED_JSON');
    });
  });

  describe('a body over 100 KiB: 413 PAYLOAD_TOO_LARGE', () => {
    it.each(bodyRoutes)('%s, by one byte', async (_route, path, token, body) => {
      const before = await state();

      const response = await post(path(), token())
        .set('content-type', 'application/json')
        .send(paddedJson(body(), MAX_BODY_BYTES + 1));

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      expect(await state()).toEqual(before);
    });

    it('by far (1 MiB)', async () => {
      const response = await legacy
        .http()
        .post('/api/customers')
        .set('content-type', 'application/json')
        .send(paddedJson({ name: 'x' }, 1024 * 1024));

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('without a Content-Length (chunked)', async () => {
      const answer = await rawRequest(legacy.url, {
        method: 'POST',
        path: '/api/customers',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        chunks: ['{"name": "chunked"', ...Array<string>(8).fill(' '.repeat(16 * 1024)), '}'],
      });

      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
      expect(JSON.parse(answer.text)).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.any(String),
      });
    });

    it('accepts a body of exactly 100 KiB (POST /api/customers)', async () => {
      const email = `big-${randomUUID()}@example.com`;
      const text = paddedJson({ name: 'Exactly 100 KiB', email, password: 'a password' }, MAX_BODY_BYTES);
      expect(Buffer.byteLength(text)).toBe(102_400);

      const response = await legacy.http().post('/api/customers').set('content-type', 'application/json').send(text);

      expect(response.status).toBe(201);
      expectCustomerShape(response.body);
      expect(response.body.email).toBe(email);
    });

    it('accepts a body just under 100 KiB (POST /api/orders)', async () => {
      const text = paddedJson({ items: [{ productId: product.id, quantity: 1 }] }, MAX_BODY_BYTES - 1);

      const response = await post('/api/orders', customer.token).set('content-type', 'application/json').send(text);

      expect(response.status).toBe(201);
      expectOrderShape(response.body);
      expect(response.body.status).toBe('APPROVED');
    });

    it('accepts a body of exactly 100 KiB (POST /api/customers/{id}/deposits)', async () => {
      const before = await legacy.balance(customer);

      const response = await post(`/api/customers/${customer.id}/deposits`, customer.token)
        .set('content-type', 'application/json')
        .send(paddedJson({ amountCents: 7 }, MAX_BODY_BYTES));

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents: 7, balanceCents: before + 7 });
    });
  });

  describe('a path id that is not a UUID: 400 VALIDATION_FAILED', () => {
    const idRoutes: [string, string, (id: string) => string, () => string | undefined, () => object | undefined][] = [
      ['GET', '/api/customers/{id}', (id) => `/api/customers/${id}`, () => customer.token, () => undefined],
      [
        'POST',
        '/api/customers/{id}/deposits',
        (id) => `/api/customers/${id}/deposits`,
        () => customer.token,
        () => ({ amountCents: 1 }),
      ],
      ['GET', '/api/products/{id}', (id) => `/api/products/${id}`, () => undefined, () => undefined],
      [
        'POST',
        '/api/products/{id}/stock-adjustments',
        (id) => `/api/products/${id}/stock-adjustments`,
        () => admin,
        () => ({ delta: 1, reason: 'x' }),
      ],
      ['GET', '/api/orders/{id}', (id) => `/api/orders/${id}`, () => customer.token, () => undefined],
      ['POST', '/api/orders/{id}/cancel', (id) => `/api/orders/${id}/cancel`, () => customer.token, () => undefined],
    ];
    const notUuids = [
      'not-a-uuid',
      '12345',
      randomUUID().replace(/-/g, ''),
      `${randomUUID()}0`,
      randomUUID().slice(1),
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      `{${randomUUID()}}`,
    ];

    it.each(idRoutes.flatMap((route) => notUuids.map((id) => [...route, id] as const)))(
      '%s %s with id %#',
      async (method, _route, path, token, body, id) => {
        const url = path(encodeURIComponent(id));
        let test = method === 'GET' ? legacy.http().get(url) : legacy.http().post(url);
        const bearerToken = token();
        if (bearerToken) test = test.set(bearer(bearerToken));
        const payload = body();

        const response = await (payload ? test.send(payload) : test);

        expectError(response, 400, 'VALIDATION_FAILED');
      },
    );

    it('changes nothing', async () => {
      const before = await state();
      for (const [method, , path, token, body] of idRoutes) {
        const url = path('not-a-uuid');
        const test = method === 'GET' ? legacy.http().get(url) : legacy.http().post(url);
        const bearerToken = token();
        await (bearerToken ? test.set(bearer(bearerToken)) : test).send(body());
      }
      expect(await state()).toEqual(before);
    });
  });

  describe('an unknown route: 404 ROUTE_NOT_FOUND', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/nope'],
      ['GET', '/api'],
      ['GET', '/api/nope'],
      ['GET', '/api/customers'],
      ['GET', '/api/auth/token'],
      ['GET', '/api/customers/{id}/deposits'],
      ['POST', '/api/customers/{id}'],
      ['POST', '/api/customers/{id}/withdrawals'],
      ['PUT', '/api/products/{id}'],
      ['PATCH', '/api/products/{id}'],
      ['DELETE', '/api/products/{id}'],
      ['DELETE', '/api/orders/{id}'],
      ['GET', '/api/orders/{id}/cancel'],
      ['POST', '/api/orders/{id}/refund'],
      ['GET', '/api/products/{id}/stock-adjustments'],
      ['POST', '/api/v2/orders'],
    ])('%s %s', async (method, route) => {
      const path = route.replace('{id}', randomUUID());
      const test = legacy
        .http()
        [method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path)
        .set(bearer(admin));

      expectError(await test, 404, 'ROUTE_NOT_FOUND');
    });

    it('answers 404 ROUTE_NOT_FOUND without a token too', async () => {
      expectError(await legacy.http().get('/api/unknown-things'), 404, 'ROUTE_NOT_FOUND');
      expectError(await legacy.http().delete(`/api/orders/${orderId}`), 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('JSON in and out', () => {
    it.each([
      ['GET /api/products', () => legacy.http().get('/api/products')],
      ['GET /api/products/{id}', () => legacy.http().get(`/api/products/${product.id}`)],
      ['GET /api/customers/{id}', () => legacy.http().get(`/api/customers/${customer.id}`).set(bearer(customer.token))],
      ['GET /api/orders', () => legacy.http().get('/api/orders').set(bearer(customer.token))],
      ['GET /api/orders/{id}', () => legacy.http().get(`/api/orders/${orderId}`).set(bearer(customer.token))],
    ])('%s answers application/json; charset=utf-8', async (_route, call) => {
      const response = await call();

      expect(response.status).toBe(200);
      expectJson(response);
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"hello"'],
      ['a number', '42'],
      ['null', 'null'],
      ['true', 'true'],
    ])('answers 400 VALIDATION_FAILED to a JSON body that is %s', async (_case, text) => {
      const response = await legacy.http().post('/api/customers').set('content-type', 'application/json').send(text);

      expectError(response, 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['no Content-Type', {}],
    ])(
      'treats a body sent as %s as missing: 400 VALIDATION_FAILED (the documented choice), and registers no one',
      async (_case, headers: Record<string, string>) => {
        const email = `plain-${randomUUID()}@example.com`;
        const text = JSON.stringify({ name: 'Plain', email, password: 'a password' });

        const answer = await rawRequest(legacy.url, {
          method: 'POST',
          path: '/api/customers',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) },
          chunks: [text],
        });

        expect(answer.status).toBe(400);
        expect(answer.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
        expect(JSON.parse(answer.text)).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          code: 'VALIDATION_FAILED',
          message: expect.anything(),
        });
        const login = await legacy.http().post('/api/auth/token').send({ email, password: 'a password' });
        expectError(login, 401, 'INVALID_CREDENTIALS');
      },
    );
  });

  describe('beside the public API', () => {
    it('counts the requests of the public API in GET /metrics, by route pattern and status class', async () => {
      await legacy.placeOrder(customer, [{ productId: product.id, quantity: 1 }]).expect(201);

      const metrics = await legacy.http().get('/metrics');

      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('http_requests_total{method="POST",route="/api/orders",status_class="2xx"');
    });
  });

  describe('documented choices where docs/api.md is silent', () => {
    it('matches path ids case-insensitively', async () => {
      const upperProduct = await legacy.http().get(`/api/products/${product.id.toUpperCase()}`);
      const upperOrder = await legacy.http().get(`/api/orders/${orderId.toUpperCase()}`).set(bearer(customer.token));
      const upperCustomer = await legacy
        .http()
        .get(`/api/customers/${customer.id.toUpperCase()}`)
        .set(bearer(customer.token));

      expect([upperProduct.status, upperOrder.status, upperCustomer.status]).toEqual([200, 200, 200]);
      expect(upperProduct.body.id).toBe(product.id);
      expect(upperOrder.body.id).toBe(orderId);
      expect(upperCustomer.body.id).toBe(customer.id);
    });

    it('ignores unknown query parameters', async () => {
      const products = await legacy.http().get('/api/products').query({ sort: 'name', page: 'x' });
      const orders = await legacy.http().get('/api/orders').query({ status: 'nope' }).set(bearer(customer.token));

      expect(products.status).toBe(200);
      expect(products.body).toMatchObject({ limit: 20, offset: 0 });
      expect(orders.status).toBe(200);
    });
  });
});
