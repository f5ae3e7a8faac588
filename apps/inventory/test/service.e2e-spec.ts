import { randomUUID } from 'node:crypto';
import { eventually } from '../../../tools/testing/test-streams';
import { expectError } from './support/api-expectations';
import { InventoryHarness } from './support/inventory-harness';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>
  >;
}

describe('inventory as a service: OpenAPI, health, metrics, unknown routes', () => {
  let inventory: InventoryHarness;
  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });
  afterAll(() => inventory.close());

  it('publishes its route in OpenAPI at /api-docs-json, with every answer the monolith documents', async () => {
    const response = await inventory.http().get('/api-docs-json').expect(200);
    const document = response.body as OpenApiDocument;

    expect(document.info.title).toBe('Ficus inventory: stock adjustments');
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/'))).toEqual([
      '/api/products/{id}/stock-adjustments',
    ]);
    const operation = document.paths['/api/products/{id}/stock-adjustments']!.post!;
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413']);
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation.requestBody).toBeDefined();
  });

  it('is live, and ready once its database, outbox and event consumer are', async () => {
    await inventory.http().get('/health/live').expect(200);
    await eventually(
      async () => (await inventory.http().get('/health/ready')).status,
      (status) => status === 200,
    );
  });

  it('serves Prometheus metrics of its requests, its outbox and its streams', async () => {
    await inventory.adjust(randomUUID(), { delta: 1, reason: 'count' }).expect(404);

    const metrics = await inventory.metrics();

    expect(metrics).toMatch(
      /http_requests_total\{[^}]*route="\/api\/products\/:id\/stock-adjustments"[^}]*service="inventory"[^}]*\} \d+/,
    );
    expect(metrics).toContain('outbox_unpublished_events');
    expect(metrics).toContain('streams_messages_received_total');
  });

  it('answers 404 ROUTE_NOT_FOUND to the routes it does not serve', async () => {
    expectError(await inventory.http().get(`/api/products/${randomUUID()}`), 404, 'ROUTE_NOT_FOUND');
    expectError(await inventory.http().post('/api/orders').send({}), 404, 'ROUTE_NOT_FOUND');
  });
});
