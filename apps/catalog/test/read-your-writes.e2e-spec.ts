import { AWAIT_HEADER, CONSISTENCY_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { requestsWaiting } from '../../../tools/testing/awaited-positions';
import { CatalogHarness, bearer, tokenFor } from './support/catalog-harness';
import { newProduct, productCreated, stockAdjusted } from './support/product-events';

const LEGACY = 'legacy-monolith';

/**
 * The sides' half of read-your-writes across the facade, on catalog: a product read the facade
 * sends with the positions of the monolith's writes answers with them applied (the facade's
 * half: `strangler/`).
 */
describe('catalog: reads see the writes before them', () => {
  let catalog: CatalogHarness;
  beforeAll(async () => {
    catalog = await CatalogHarness.start();
  });
  afterAll(() => catalog.close());

  const read = (productId: string, positions: string) =>
    Promise.resolve(catalog.http().get(`/api/products/${productId}`).set(AWAIT_HEADER, positions));

  it('answers a read of a product the monolith just created once its event is applied, not 404', async () => {
    const product = newProduct({ stock: 4 });
    const pending = read(product.productId, `${LEGACY}:product:${product.productId}:1`);
    await requestsWaiting(catalog.app);

    await catalog.publish('product.created', productCreated(LEGACY, product));
    const response = await pending;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: product.productId, sku: product.sku, stock: 4 });
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
  });

  it('waits for a stock change parked behind its predecessor, and answers with the stock after both', async () => {
    const product = newProduct({ stock: 10 });
    await catalog.publish('product.created', productCreated(LEGACY, product));
    await catalog.productBecomes(product.productId);
    await catalog.publish('stock.adjusted', stockAdjusted(LEGACY, product.productId, 3, -4, 5));
    const pending = read(product.productId, `${LEGACY}:product:${product.productId}:3`);
    await requestsWaiting(catalog.app);

    await catalog.publish('stock.adjusted', stockAdjusted(LEGACY, product.productId, 2, -1, 9));
    const response = await pending;

    expect(response.status).toBe(200);
    expect(response.body.stock).toBe(5);
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
  });

  it('answers a product created here with the position of its product.created', async () => {
    const product = newProduct();

    const response = await catalog
      .http()
      .post('/api/products')
      .set(bearer(tokenFor('admin')))
      .send({ sku: product.sku, name: product.name, priceCents: product.priceCents, stock: product.stock });

    expect(response.status).toBe(201);
    expect(response.headers[POSITIONS_HEADER]).toBe(`catalog:product:${response.body.id}:1`);
  });
});
