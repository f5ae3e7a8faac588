import { randomUUID } from 'node:crypto';
import { STOCK_ADJUSTMENT_KEYS, expectError, expectJson } from './support/api-expectations';
import { InventoryHarness, bearer } from './support/inventory-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /api/products/{id}/stock-adjustments, answered as the monolith answers it', () => {
  let inventory: InventoryHarness;
  beforeAll(async () => {
    inventory = await InventoryHarness.start();
  });
  afterAll(() => inventory.close());

  /** What a refused request must leave as it was: the record, the ledger, the published events. */
  const state = async (productId: string) => ({
    record: await inventory.record(productId),
    movements: await inventory.movements(productId),
    published: await inventory.published(productId),
  });

  it('answers 201 { productId, delta, stock }, changes the stock and writes the ledger', async () => {
    const productId = await inventory.product(10);

    const added = await inventory.adjust(productId, { delta: 5, reason: 'delivery' });
    const taken = await inventory.adjust(productId, { delta: -12, reason: 'breakage' });

    expect(added.status).toBe(201);
    expectJson(added);
    expect(Object.keys(added.body)).toEqual(STOCK_ADJUSTMENT_KEYS);
    expect(added.body).toEqual({ productId, delta: 5, stock: 15 });
    expect(taken.status).toBe(201);
    expect(taken.body).toEqual({ productId, delta: -12, stock: 3 });
    expect(await inventory.stock(productId)).toBe(3);
    expect(
      (await inventory.movements(productId)).map(({ kind, delta, stockAfter, reason, orderId }) => ({
        kind,
        delta,
        stockAfter,
        reason,
        orderId,
      })),
    ).toEqual([
      { kind: 'adjustment', delta: 5, stockAfter: 15, reason: 'delivery', orderId: null },
      { kind: 'adjustment', delta: -12, stockAfter: 3, reason: 'breakage', orderId: null },
    ]);
  });

  it('publishes stock.adjusted (origin inventory, reason adjustment, the reason as note) with the time of the change', async () => {
    const productId = await inventory.product(4);
    const before = Date.now();

    await inventory.adjust(productId, { delta: 3, reason: 'found in the back' }).expect(201);

    const [event] = await inventory.publishedCount(productId, 1);
    const record = await inventory.record(productId);
    expect(event).toEqual({
      id: expect.any(String),
      schemaVersion: 1,
      occurredAt: record!.updatedAt.toISOString(),
      origin: 'inventory',
      aggregateId: productId,
      sequence: 1,
      productId,
      delta: 3,
      stock: 7,
      reason: 'adjustment',
      note: 'found in the back',
      orderId: null,
      updatedAt: record!.updatedAt.toISOString(),
    });
    expect(Date.parse(event!.updatedAt)).toBeGreaterThanOrEqual(before);
  });

  it('numbers its events of a product 1, 2, 3', async () => {
    const productId = await inventory.product(0);
    for (const delta of [1, 2, 3]) await inventory.adjust(productId, { delta, reason: 'count' }).expect(201);

    const events = await inventory.publishedCount(productId, 3);
    expect(events.map((event) => [event.sequence, event.delta, event.stock])).toEqual([
      [1, 1, 1],
      [2, 2, 3],
      [3, 3, 6],
    ]);
  });

  it('may take the stock to exactly 0', async () => {
    const productId = await inventory.product(4);

    const response = await inventory.adjust(productId, { delta: -4, reason: 'write-off' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ productId, delta: -4, stock: 0 });
  });

  it('moves the updatedAt of the stock record, not its createdAt', async () => {
    const productId = await inventory.product(1);
    const before = await inventory.record(productId);
    await sleep(5);

    await inventory.adjust(productId, { delta: 1, reason: 'recount' }).expect(201);

    const after = await inventory.record(productId);
    expect(after!.createdAt).toEqual(before!.createdAt);
    expect(after!.updatedAt.getTime()).toBeGreaterThan(before!.updatedAt.getTime());
  });

  it('matches the path id case-insensitively and answers with it lower-cased', async () => {
    const productId = await inventory.product(1);

    const response = await inventory.adjust(productId.toUpperCase(), { delta: 1, reason: 'count' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ productId, delta: 1, stock: 2 });
  });

  it.each([
    ['delta 1000000', 0, 1_000_000, 'x'],
    ['delta -1000000', 1_000_000, -1_000_000, 'x'],
    ['a reason of 1 character', 0, 1, 'r'],
    ['a reason of 200 characters', 0, 1, 'r'.repeat(200)],
  ])('accepts %s', async (_case, stock, delta, reason) => {
    const productId = await inventory.product(stock);

    const response = await inventory.adjust(productId, { delta, reason });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ productId, delta, stock: stock + delta });
  });

  it.each([
    ['delta 0', { delta: 0 }, ['delta: must not be 0']],
    ['delta 1000001', { delta: 1_000_001 }, ['delta: Too big: expected number to be <=1000000']],
    ['delta -1000001', { delta: -1_000_001 }, ['delta: Too small: expected number to be >=-1000000']],
    ['a fractional delta', { delta: 1.5 }, undefined],
    ['delta as a string', { delta: '5' }, undefined],
    ['delta null', { delta: null }, undefined],
    ['no delta', { delta: undefined }, undefined],
    ['no reason', { reason: undefined }, undefined],
    ['an empty reason', { reason: '' }, undefined],
    ['a reason of 201 characters', { reason: 'r'.repeat(201) }, undefined],
    ['a reason that is a number', { reason: 7 }, undefined],
    [
      'a reason with a NUL character',
      { reason: 'count\u0000' },
      ['reason: must not contain the NUL character (U+0000)'],
    ],
    ['an unknown field', { note: 'hi' }, ['body: Unrecognized key: "note"']],
    ['a stock field', { stock: 99 }, undefined],
  ])('answers 400 VALIDATION_FAILED for %s, and nothing changes', async (_case, override, message) => {
    const productId = await inventory.product(20);
    const body: Record<string, unknown> = { delta: 5, reason: 'count' };
    for (const [field, value] of Object.entries(override)) {
      if (value === undefined) delete body[field];
      else body[field] = value;
    }
    const before = await state(productId);

    const response = await inventory.adjust(productId, body);

    expectError(response, 400, 'VALIDATION_FAILED', message);
    expect(await state(productId)).toEqual(before);
  });

  it('answers 400 VALIDATION_FAILED for a path id that is not a UUID', async () => {
    expectError(await inventory.adjust('not-a-uuid', { delta: 1, reason: 'count' }), 400, 'VALIDATION_FAILED', [
      'id: must be a UUID',
    ]);
  });

  it.each(['{bad', '{"delta": 1,}', "{'delta': 1}", '{"delta": 1} trailing', 'undefined'])(
    'answers 400 MALFORMED_JSON to the body %s, and nothing changes',
    async (text) => {
      const productId = await inventory.product(2);
      const before = await state(productId);

      const response = await inventory
        .http()
        .post(`/api/products/${productId}/stock-adjustments`)
        .set(bearer(inventory.adminToken()))
        .set('content-type', 'application/json')
        .send(text);

      expectError(response, 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      expect(await state(productId)).toEqual(before);
    },
  );

  it('answers 413 PAYLOAD_TOO_LARGE to a body over 100 KiB', async () => {
    const productId = await inventory.product(2);
    const json = JSON.stringify({ delta: 1, reason: 'count' });

    const response = await inventory
      .http()
      .post(`/api/products/${productId}/stock-adjustments`)
      .set(bearer(inventory.adminToken()))
      .set('content-type', 'application/json')
      .send(json + ' '.repeat(100 * 1024 + 1 - json.length));

    expectError(response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the limit.');
    expect(await inventory.stock(productId)).toBe(2);
  });

  describe('authentication, then role, then input', () => {
    it('answers 401 UNAUTHENTICATED without a token, and nothing changes', async () => {
      const productId = await inventory.product(3);
      const before = await state(productId);

      const response = await inventory
        .http()
        .post(`/api/products/${productId}/stock-adjustments`)
        .send({ delta: 1, reason: 'count' });

      expectError(response, 401, 'UNAUTHENTICATED', 'This route needs an Authorization: Bearer <token> header.');
      expect(await state(productId)).toEqual(before);
    });

    it.each([
      ['a token that is not a JWT', 'Bearer not-a-jwt', 'The token is malformed or its signature is invalid.'],
      ['a token without the Bearer scheme', 'Token abc', 'The Authorization header must be "Bearer <token>".'],
    ])('answers 401 UNAUTHENTICATED to %s', async (_case, authorization, message) => {
      const productId = await inventory.product(3);

      const response = await inventory
        .http()
        .post(`/api/products/${productId}/stock-adjustments`)
        .set('authorization', authorization)
        .send({ delta: 1, reason: 'count' });

      expectError(response, 401, 'UNAUTHENTICATED', message);
      expect(await inventory.stock(productId)).toBe(3);
    });

    it('answers 401, not 400, to an invalid body and a non-UUID path id without a token', async () => {
      expectError(
        await inventory.http().post('/api/products/not-a-uuid/stock-adjustments').send({ delta: 0 }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('answers 403 FORBIDDEN to a customer token, and nothing changes', async () => {
      const productId = await inventory.product(3);
      const before = await state(productId);

      const response = await inventory.adjust(productId, { delta: 5, reason: 'found some' }, inventory.customerToken());

      expectError(response, 403, 'FORBIDDEN', 'This route is for admin tokens.');
      expect(await state(productId)).toEqual(before);
    });

    it('answers 403, not 400, to an invalid body or a non-UUID path id from a customer', async () => {
      const customer = inventory.customerToken();
      expectError(await inventory.adjust(randomUUID(), { delta: 0 }, customer), 403, 'FORBIDDEN');
      expectError(await inventory.adjust('not-a-uuid', { delta: 1, reason: 'count' }, customer), 403, 'FORBIDDEN');
    });
  });

  it('answers 404 PRODUCT_NOT_FOUND for an id no product has here', async () => {
    const productId = randomUUID();

    expectError(
      await inventory.adjust(productId, { delta: 1, reason: 'count' }),
      404,
      'PRODUCT_NOT_FOUND',
      `No product has the id ${productId}.`,
    );
    expect(await inventory.record(productId)).toBeNull();
  });

  it('answers 409 STOCK_NEGATIVE when the stock would go below 0, and nothing changes', async () => {
    const productId = await inventory.product(5);
    await inventory.adjust(productId, { delta: 1, reason: 'one more' }).expect(201);
    await inventory.publishedCount(productId, 1);
    const before = await state(productId);
    await sleep(5);

    const response = await inventory.adjust(productId, { delta: -7, reason: 'too many' });

    expectError(response, 409, 'STOCK_NEGATIVE', 'The stock is 6; an adjustment of -7 would take it below zero.');
    expect(await state(productId)).toEqual(before);
    // A later adjustment's event follows the earlier one directly: the refused one recorded none.
    await inventory.adjust(productId, { delta: -6, reason: 'all of it' }).expect(201);
    const events = await inventory.publishedCount(productId, 2);
    expect(events.map((event) => [event.sequence, event.delta, event.stock])).toEqual([
      [1, 1, 6],
      [2, -6, 0],
    ]);
  });

  it('answers 409 STOCK_NEGATIVE for a product without stock', async () => {
    const productId = await inventory.product(0);

    expectError(
      await inventory.adjust(productId, { delta: -1, reason: 'none left' }),
      409,
      'STOCK_NEGATIVE',
      'The stock is 0; an adjustment of -1 would take it below zero.',
    );
    expect(await inventory.stock(productId)).toBe(0);
    expect(await inventory.movements(productId)).toEqual([]);
  });
});
