import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { LegacyHarness, bearer } from '../legacy-monolith/test/support/legacy-harness';
import { type DataPlane, createDataPlane } from '../strangler/src/data-plane';
import { ActiveRules, CompiledRuleSet, loadRulesFile, upstreamOverrides } from '../strangler/src/rules';

/** Headers the facade adds, and headers of each connection or moment. */
const ROUTING_HEADERS = ['x-strangler-route', 'x-strangler-upstream'];
const PER_RESPONSE_HEADERS = ['date', 'connection', 'keep-alive'];

interface Exchange {
  readonly name: string;
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | object;
  readonly contentType?: string;
}

/** Status, body and headers, without what the facade adds or each response differs in. */
async function answer(base: string, exchange: Exchange) {
  let call = request(base)[exchange.method](exchange.path).set('x-request-id', `parity-${exchange.name}`);
  for (const [name, value] of Object.entries(exchange.headers ?? {})) call = call.set(name, value);
  if (exchange.contentType) call = call.set('content-type', exchange.contentType);
  const response = exchange.body === undefined ? await call : await call.send(exchange.body);
  const headers = Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !ROUTING_HEADERS.includes(name) && !PER_RESPONSE_HEADERS.includes(name),
    ),
  );
  return { status: response.status, headers, body: response.text };
}

describe('the facade in front of the monolith, with the default rules', () => {
  let legacy: LegacyHarness;
  let dataPlane: DataPlane;
  let facade: string;
  let customer: Awaited<ReturnType<LegacyHarness['registerCustomer']>>;
  let productId: string;
  let orderId: string;
  let adminToken: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    const check = await loadRulesFile(join(__dirname, '..', 'strangler', 'rules.yaml'));
    if (!check.ok) throw new Error(check.errors.join('\n'));
    const rules = new ActiveRules(
      new CompiledRuleSet(1, check.ruleSet, {
        overrides: upstreamOverrides({ STRANGLER_UPSTREAM_LEGACY_URL: legacy.url.replace('[::1]', '127.0.0.1') }),
      }),
    );
    dataPlane = createDataPlane({
      rules,
      metrics: new Registry(),
      maxBodyBytes: 10 * 1024 * 1024,
      routingHeaders: true,
      trustProxy: false,
    });
    const address = await dataPlane.listen(0, '127.0.0.1');
    facade = `http://127.0.0.1:${address.port}`;

    customer = await legacy.registerCustomer();
    await legacy.deposit(customer, 50_000);
    productId = (await legacy.createProduct({ sku: 'PARITY-1', priceCents: 1_500, stock: 5 })).id;
    const order = await legacy
      .http()
      .post('/api/orders')
      .set(bearer(customer.token))
      .send({ items: [{ productId, quantity: 1 }] })
      .expect(201);
    orderId = order.body.id;
    adminToken = await legacy.adminToken();
  });

  afterAll(async () => {
    await dataPlane?.close();
    await legacy?.close();
  });

  const reads = (): Exchange[] => [
    { name: 'products', method: 'get', path: '/api/products?limit=5&q=parity' },
    { name: 'product', method: 'get', path: `/api/products/${productId}` },
    { name: 'product-missing', method: 'get', path: '/api/products/00000000-0000-4000-8000-000000000000' },
    { name: 'product-bad-id', method: 'get', path: '/api/products/not-a-uuid' },
    { name: 'page-out-of-range', method: 'get', path: '/api/products?limit=101' },
    { name: 'customer', method: 'get', path: `/api/customers/${customer.id}`, headers: bearer(customer.token) },
    { name: 'customer-no-token', method: 'get', path: `/api/customers/${customer.id}` },
    { name: 'customer-bad-token', method: 'get', path: `/api/customers/${customer.id}`, headers: bearer('x.y.z') },
    { name: 'order', method: 'get', path: `/api/orders/${orderId}`, headers: bearer(customer.token) },
    { name: 'orders', method: 'get', path: '/api/orders', headers: bearer(customer.token) },
    { name: 'unknown-route', method: 'get', path: '/api/nothing-here' },
    {
      name: 'malformed-json',
      method: 'post',
      path: '/api/auth/token',
      body: '{"email":',
      contentType: 'application/json',
    },
    { name: 'too-large', method: 'post', path: '/api/customers', body: { name: 'x'.repeat(150_000) } },
    {
      name: 'unknown-field',
      method: 'post',
      path: '/api/auth/token',
      body: { email: 'a@b.c', password: 'x', extra: 1 },
    },
    {
      name: 'wrong-password',
      method: 'post',
      path: '/api/auth/token',
      body: { email: customer.email, password: 'wrong password' },
    },
    {
      name: 'admin-order',
      method: 'post',
      path: '/api/orders',
      headers: bearer(adminToken),
      body: { items: [{ productId, quantity: 1 }] },
    },
  ];

  it('answers every read and every refusal exactly as the monolith does', async () => {
    for (const exchange of reads()) {
      const direct = await answer(legacy.url, exchange);
      const through = await answer(facade, exchange);
      // The facade may add response headers (docs/api.md), never drop or change one.
      expect({ name: exchange.name, status: through.status, headers: through.headers }).toEqual({
        name: exchange.name,
        status: direct.status,
        headers: expect.objectContaining(direct.headers),
      });
      expect(through.body).toBe(direct.body);
    }
  });

  it('keeps the monolith’s metrics, probes and API docs off the public port', async () => {
    for (const path of ['/api-docs-json', '/api-docs', '/metrics', '/health/ready', '/Health/Live/']) {
      expect({ path, status: (await request(legacy.url).get(path)).status }).toEqual({ path, status: 200 });
      const through = await request(facade).get(path);
      expect({ path, status: through.status, body: through.body }).toEqual({
        path,
        status: 404,
        body: {
          statusCode: 404,
          error: 'Not Found',
          code: 'ROUTE_NOT_FOUND',
          message: 'No public route answers this path.',
        },
      });
    }
  });

  it('carries writes through to the monolith and answers them as it would', async () => {
    const deposit = await request(facade)
      .post(`/api/customers/${customer.id}/deposits`)
      .set(bearer(customer.token))
      .set('idempotency-key', 'parity-deposit')
      .send({ amountCents: 1_234 });
    expect(deposit.status).toBe(201);
    expect(deposit.headers['x-strangler-upstream']).toBe('legacy');
    const replay = await request(legacy.url)
      .post(`/api/customers/${customer.id}/deposits`)
      .set(bearer(customer.token))
      .set('idempotency-key', 'parity-deposit')
      .send({ amountCents: 1_234 });
    expect({ status: replay.status, body: replay.text }).toEqual({ status: deposit.status, body: deposit.text });

    const order = await request(facade)
      .post('/api/orders')
      .set(bearer(customer.token))
      .send({ items: [{ productId, quantity: 2 }] });
    expect(order.status).toBe(201);
    const readBack = await request(legacy.url).get(`/api/orders/${order.body.id}`).set(bearer(customer.token));
    expect(readBack.body).toEqual(order.body);
    const stock = await request(legacy.url).get(`/api/products/${productId}`);
    expect(stock.body.stock).toBe(2);
  });
});
