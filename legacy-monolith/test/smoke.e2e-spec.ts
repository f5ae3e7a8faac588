import { LegacyHarness, bearer } from './support/legacy-harness';

describe('smoke', () => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start();
  });
  afterAll(() => legacy.close());

  it('places an order', async () => {
    const customer = await legacy.registerCustomer();

    const product = await legacy.createProduct({ priceCents: 500, stock: 3 });
    await legacy.deposit(customer, 1_000);
    const res = await legacy
      .http()
      .post('/api/orders')
      .set(bearer(customer.token))
      .send({ items: [{ productId: product.id, quantity: 2 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'APPROVED', totalCents: 1_000 });
    const bad = await legacy
      .http()
      .post('/api/orders')
      .set(bearer(customer.token))
      .set('content-type', 'application/json')
      .send('{bad');
    expect(bad.body).toMatchObject({ code: 'MALFORMED_JSON' });
    const big = await legacy
      .http()
      .post('/api/customers')
      .send({ name: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const nf = await legacy.http().get('/nope');
    expect(nf.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', statusCode: 404, error: 'Not Found' });
    const m = await legacy.http().get('/metrics');
    expect(m.text).toContain('http_requests_total{method="POST",route="/api/orders",status_class="2xx"');
    const doc = await legacy.http().get('/api-docs-json');
    console.log(JSON.stringify(doc.body.paths['/api/orders'], null, 1).slice(0, 3000));
  });
});
