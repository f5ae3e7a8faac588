import { randomUUID } from 'node:crypto';
import { InboundEvents } from '@app/integration-events';
import { eventually } from '../../../tools/testing/test-streams';
import { CatalogHarness } from './support/catalog-harness';
import { newProduct, productCreated, stockAdjusted } from './support/product-events';
import { patternsReadBy } from '../src/rebuild/streams-read';
import { CATALOG_CONSUMED_EVENTS } from '../src/consumed-events';

const HOUR_MS = 3_600_000;

/** The value of a metric line (first match of `name{...}`), or undefined. */
function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) || entry.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('catalog: metrics, readiness and the OpenAPI document', () => {
  let catalog: CatalogHarness;
  beforeAll(async () => {
    // A message waiting for its product stays pending (delivered again) for the whole test.
    catalog = await CatalogHarness.start({ env: { EVENTS_MAX_DELIVERIES: '1000', CATALOG_MAX_LAG_MS: '60000' } });
  });
  afterAll(() => catalog.close());

  const ready = () => catalog.http().get('/health/ready');

  it('is live, and ready once its consumer runs', async () => {
    expect((await catalog.http().get('/health/live')).status).toBe(200);
    const response = await ready();
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({
      database: { status: 'up' },
      outbox: { status: 'up' },
      events: { status: 'up' },
      projection: { status: 'up', lastLagMs: null, maxLagMs: 60_000 },
    });
  });

  it('reports the projection lag of the events it applies, and is not ready while behind with messages waiting', async () => {
    // A stock event whose product has not come yet: it stays unacknowledged.
    const waiting = newProduct();
    await catalog.publish(
      'stock.adjusted',
      stockAdjusted('inventory', waiting.productId, 1, 1, 11, new Date().toISOString()),
    );
    // An event that occurred an hour ago (a backlog): applied now, its lag is an hour.
    const at = new Date(Date.now() - HOUR_MS).toISOString();
    const old = newProduct({ createdAt: at, updatedAt: at });
    await catalog.publish('product.created', productCreated('legacy-monolith', old));
    await catalog.productBecomes(old.productId);

    const metrics = (await catalog.http().get('/metrics')).text;
    expect(metrics).toContain('# TYPE catalog_projection_lag_seconds histogram');
    expect(metric(metrics, 'catalog_projection_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(metric(metrics, 'catalog_projection_lag_seconds_sum')).toBeGreaterThanOrEqual(HOUR_MS / 1000);
    const last = metric(metrics, 'catalog_projection_last_lag_seconds')!;
    expect(last).toBeGreaterThanOrEqual(HOUR_MS / 1000);
    expect(last).toBeLessThan(HOUR_MS / 1000 + 60);

    const behind = await ready();
    expect(behind.status).toBe(503);
    expect(behind.body.error.projection).toMatchObject({
      status: 'down',
      maxLagMs: 60_000,
      unacknowledged: expect.any(Number),
    });
    expect(behind.body.error.projection.lastLagMs).toBeGreaterThanOrEqual(HOUR_MS);
    expect(behind.body.error.projection.unacknowledged).toBeGreaterThanOrEqual(1);

    // The product arrives, the waiting event applies: nothing waits, ready again.
    await catalog.publish('product.created', productCreated('legacy-monolith', { ...waiting, stock: 10 }));
    await catalog.productBecomes(waiting.productId, (product) => product.stock === 11);
    // Acknowledged just after the commit that the read above saw.
    const caughtUp = await eventually(ready, (response) => response.status === 200, 5_000);
    expect(caughtUp.body.details.projection.status).toBe('up');
  });

  it('stays ready when the last event it applied is old but nothing waits (an idle projection)', async () => {
    const at = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    const old = newProduct({ createdAt: at, updatedAt: at });
    await catalog.publish('product.created', productCreated('legacy-monolith', old));
    await catalog.productBecomes(old.productId);

    const response = await eventually(ready, (found) => found.status === 200, 5_000);

    expect(response.body.details.projection).toMatchObject({ status: 'up', unacknowledged: 0 });
    expect(response.body.details.projection.lastLagMs).toBeGreaterThanOrEqual(2 * HOUR_MS);
  });

  it('publishes its routes at /api-docs-json, as the monolith documents them', async () => {
    const response = await catalog.http().get('/api-docs-json');

    expect(response.status).toBe(200);
    const paths = response.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths).sort()).toEqual(['/api/products', '/api/products/{id}']);
    expect(Object.keys(paths['/api/products']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/products']!.get!.responses).sort()).toEqual(['200', '400']);
    expect(Object.keys(paths['/api/products']!.post!.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
    ]);
    expect(Object.keys(paths['/api/products/{id}']!.get!.responses).sort()).toEqual(['200', '400', '404']);
    expect(Object.keys(response.body.components.schemas)).toEqual(
      expect.arrayContaining(['Product', 'ProductPage', 'CreateProductRequest']),
    );
  });

  it('reads exactly the streams the rebuild command moves back', () => {
    expect([...catalog.app.get(InboundEvents).patterns].sort()).toEqual(patternsReadBy(CATALOG_CONSUMED_EVENTS).sort());
    expect(patternsReadBy(CATALOG_CONSUMED_EVENTS).sort()).toEqual([
      'product.created',
      'product.snapshot',
      'product.updated',
      'stock.adjusted',
      'stock.snapshot',
    ]);
  });

  it("answers with the caller's X-Request-Id (service defaults)", async () => {
    const id = randomUUID();
    const response = await catalog.http().get('/api/products').set('x-request-id', id);
    expect(response.headers['x-request-id']).toBe(id);
  });
});
