import { seedDemoData } from '../src/seed/seed-demo-data';
import { DEMO_CUSTOMER_PASSWORD, demoCustomer, demoProduct } from '../src/seed/demo-data';
import { LegacyHarness, bearer } from './support/legacy-harness';

describe('seed:legacy', () => {
  let legacy: LegacyHarness;
  beforeAll(async () => {
    legacy = await LegacyHarness.start();
  });
  afterAll(() => legacy.close());

  it('loads 1,000 products and 100 customers with deposits, and changes nothing the second time', async () => {
    const first = await seedDemoData(legacy.app);
    expect(first).toEqual({ productsCreated: 1_000, productsFound: 0, customersCreated: 100, customersFound: 0 });

    const products = await legacy.http().get('/api/products?limit=100&offset=900').expect(200);
    expect(products.body.total).toBe(1_000);
    expect(products.body.items).toHaveLength(100);
    const skus = (products.body.items as { sku: string }[]).map((p) => p.sku);
    expect(skus).toEqual([...skus].sort());

    const sample = demoProduct(41);
    const found = await legacy.http().get(`/api/products?q=${sample.sku}`).expect(200);
    expect(found.body.items).toEqual([expect.objectContaining(sample)]);

    const customer = demoCustomer(7);
    const token = await legacy.token(customer.email, DEMO_CUSTOMER_PASSWORD);
    const { sub } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    const before = await legacy.http().get(`/api/customers/${sub}`).set(bearer(token)).expect(200);
    expect(before.body).toMatchObject({
      name: customer.name,
      email: customer.email,
      balanceCents: customer.depositCents,
    });

    const second = await seedDemoData(legacy.app);
    expect(second).toEqual({ productsCreated: 0, productsFound: 1_000, customersCreated: 0, customersFound: 100 });
    const after = await legacy.http().get(`/api/customers/${sub}`).set(bearer(token)).expect(200);
    expect(after.body.balanceCents).toBe(customer.depositCents);
    expect((await legacy.http().get('/api/products').expect(200)).body.total).toBe(1_000);
  });
});
