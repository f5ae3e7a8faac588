import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectError, expectOrderShape } from './support/api-expectations';
import { freezeClock, thawClock } from './support/clock';
import { Customer, LegacyHarness, Product, bearer } from './support/legacy-harness';
import { claims, signToken } from './support/tokens';

const newKey = () => `key-${randomUUID()}`;

/** The same answer: status, and the body byte for byte (so field order too). */
function expectSameAnswer(replay: Response, first: Response): void {
  expect({ status: replay.status, text: replay.text }).toEqual({ status: first.status, text: first.text });
}

describe('Idempotency-Key on POST /api/orders and POST /api/customers/{id}/deposits', () => {
  let legacy: LegacyHarness;
  let admin: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    admin = await legacy.adminToken();
  });
  afterAll(() => legacy.close());

  /** Balance, stock of each product and number of orders: what a replay must leave alone. */
  async function state(customer: Customer, products: readonly Product[] = []) {
    return {
      balance: await legacy.balance(customer),
      stock: await Promise.all(products.map((product) => legacy.stock(product.id))),
      orders: await legacy.orderCount(customer),
    };
  }

  const deposit = (token: string, customerId: string, amountCents: number, key?: string) => {
    const test = legacy.http().post(`/api/customers/${customerId}/deposits`).set(bearer(token));
    return (key === undefined ? test : test.set('Idempotency-Key', key)).send({ amountCents });
  };

  describe('POST /api/orders', () => {
    it('answers a repeat with the same key and body with the first response (201, same body) and changes nothing', async () => {
      const customer = await legacy.customerWith(10_000);
      const product = await legacy.createProduct({ priceCents: 700, stock: 10 });
      const key = newKey();
      const items = [{ productId: product.id, quantity: 2 }];

      const first = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });
      const after = await state(customer, [product]);
      const replays = [
        await legacy.placeOrder(customer, items, { 'Idempotency-Key': key }),
        await legacy.placeOrder(customer, items, { 'Idempotency-Key': key }),
      ];

      expect(first.status).toBe(201);
      expectOrderShape(first.body);
      expect(first.body.status).toBe('APPROVED');
      for (const replay of replays) expectSameAnswer(replay, first);
      expect(after).toEqual({ balance: 8_600, stock: [8], orders: 1 });
      expect(await state(customer, [product])).toEqual(after);
    });

    it('takes the same JSON with its fields in another order as the same body', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();
      const send = (text: string) =>
        legacy
          .http()
          .post('/api/orders')
          .set(bearer(customer.token))
          .set('Idempotency-Key', key)
          .set('content-type', 'application/json')
          .send(text);

      const first = await send(`{"items":[{"productId":"${product.id}","quantity":2}]}`);
      const replay = await send(`{ "items": [ { "quantity": 2, "productId": "${product.id}" } ] }`);

      expect(first.status).toBe(201);
      expectSameAnswer(replay, first);
      expect(await state(customer, [product])).toEqual({ balance: 800, stock: [8], orders: 1 });
    });

    it('replays the first response even after the order was cancelled (it does not re-read the order)', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 5 });
      const key = newKey();
      const items = [{ productId: product.id, quantity: 1 }];
      const first = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });
      await legacy.http().post(`/api/orders/${first.body.id}/cancel`).set(bearer(customer.token)).expect(200);
      const after = await state(customer, [product]);

      const replay = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });

      expectSameAnswer(replay, first);
      expect(await state(customer, [product])).toEqual(after);
    });

    it('replays a REJECTED order the same way, even once the order could be approved', async () => {
      const customer = await legacy.customerWith(100);
      const product = await legacy.createProduct({ priceCents: 500, stock: 5 });
      const key = newKey();
      const items = [{ productId: product.id, quantity: 1 }];
      const first = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });
      await legacy.deposit(customer, 1_000);
      const after = await state(customer, [product]);

      const replay = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });

      expect(first.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS' });
      expectSameAnswer(replay, first);
      expect(await state(customer, [product])).toEqual(after);
    });

    it.each([
      ['another quantity', (product: Product, _other: Product) => [{ productId: product.id, quantity: 3 }]],
      ['another product', (_product: Product, other: Product) => [{ productId: other.id, quantity: 2 }]],
      [
        'one more item',
        (product: Product, other: Product) => [
          { productId: product.id, quantity: 2 },
          { productId: other.id, quantity: 1 },
        ],
      ],
    ])(
      'answers 422 IDEMPOTENCY_KEY_REUSED for the same key with %s, and changes nothing',
      async (_case, otherItems) => {
        const customer = await legacy.customerWith(10_000);
        const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
        const other = await legacy.createProduct({ priceCents: 100, stock: 10 });
        const key = newKey();
        const first = await legacy.placeOrder(customer, [{ productId: product.id, quantity: 2 }], {
          'Idempotency-Key': key,
        });
        const after = await state(customer, [product, other]);

        const reused = await legacy.placeOrder(customer, otherItems(product, other), { 'Idempotency-Key': key });

        expect(first.status).toBe(201);
        expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
        expect(await state(customer, [product, other])).toEqual(after);
        const replay = await legacy.placeOrder(customer, [{ productId: product.id, quantity: 2 }], {
          'Idempotency-Key': key,
        });
        expectSameAnswer(replay, first);
      },
    );

    it('scopes keys to the caller: two customers may use the same key, each gets their own order', async () => {
      const [alice, bob] = [await legacy.customerWith(1_000), await legacy.customerWith(1_000)];
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();
      const items = [{ productId: product.id, quantity: 1 }];

      const forAlice = await legacy.placeOrder(alice, items, { 'Idempotency-Key': key });
      const forBob = await legacy.placeOrder(bob, items, { 'Idempotency-Key': key });

      expect([forAlice.status, forBob.status]).toEqual([201, 201]);
      expect(forAlice.body).toMatchObject({ customerId: alice.id, status: 'APPROVED' });
      expect(forBob.body).toMatchObject({ customerId: bob.id, status: 'APPROVED' });
      expect(forBob.body.id).not.toBe(forAlice.body.id);
      expect(await legacy.balance(alice)).toBe(900);
      expect(await legacy.balance(bob)).toBe(900);
      expect(await legacy.stock(product.id)).toBe(8);
    });

    it('lets another customer use the same key with another body (no 422 across callers)', async () => {
      const [alice, bob] = [await legacy.customerWith(1_000), await legacy.customerWith(1_000)];
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();

      await legacy.placeOrder(alice, [{ productId: product.id, quantity: 1 }], { 'Idempotency-Key': key }).expect(201);
      const forBob = await legacy.placeOrder(bob, [{ productId: product.id, quantity: 4 }], { 'Idempotency-Key': key });

      expect(forBob.status).toBe(201);
      expect(forBob.body).toMatchObject({ customerId: bob.id, totalCents: 400, status: 'APPROVED' });
    });

    it('places two orders for two requests without a key', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const items = [{ productId: product.id, quantity: 1 }];

      const first = await legacy.placeOrder(customer, items);
      const second = await legacy.placeOrder(customer, items);

      expect(second.body.id).not.toBe(first.body.id);
      expect(await state(customer, [product])).toEqual({ balance: 800, stock: [8], orders: 2 });
    });

    it('places two orders for two different keys', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const items = [{ productId: product.id, quantity: 1 }];

      const first = await legacy.placeOrder(customer, items, { 'Idempotency-Key': newKey() });
      const second = await legacy.placeOrder(customer, items, { 'Idempotency-Key': newKey() });

      expect(second.body.id).not.toBe(first.body.id);
      expect(await state(customer, [product])).toEqual({ balance: 800, stock: [8], orders: 2 });
    });

    it('does not record a failed request (documented): its key may then be used for another body', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();

      const failed = await legacy.placeOrder(customer, [{ productId: randomUUID(), quantity: 1 }], {
        'Idempotency-Key': key,
      });
      const retried = await legacy.placeOrder(customer, [{ productId: product.id, quantity: 1 }], {
        'Idempotency-Key': key,
      });

      expectError(failed, 404, 'PRODUCT_NOT_FOUND');
      expect(retried.status).toBe(201);
      expect(retried.body.status).toBe('APPROVED');
    });

    it('keeps a key for 24 hours: a repeat a minute before then is still answered with the first response', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();
      const items = [{ productId: product.id, quantity: 3 }];
      const first = await legacy.placeOrder(customer, items, { 'Idempotency-Key': key });
      const after = await state(customer, [product]);

      let replay: Response;
      try {
        freezeClock(Date.now() + 24 * 3_600_000 - 60_000);
        const token = signToken(claims(customer.id, 'customer'));
        replay = await legacy.http().post('/api/orders').set(bearer(token)).set('Idempotency-Key', key).send({ items });
      } finally {
        thawClock();
      }

      expectSameAnswer(replay, first);
      expect(await state(customer, [product])).toEqual(after);
    });
  });

  describe('POST /api/customers/{id}/deposits', () => {
    it('answers a repeat with the same key and body with the first response and credits once', async () => {
      const customer = await legacy.customerWith(0);
      const key = newKey();

      const first = await deposit(customer.token, customer.id, 2_500, key);
      const replays = [
        await deposit(customer.token, customer.id, 2_500, key),
        await deposit(customer.token, customer.id, 2_500, key),
      ];

      expect(first.status).toBe(201);
      expect(first.body).toEqual({ customerId: customer.id, amountCents: 2_500, balanceCents: 2_500 });
      for (const replay of replays) expectSameAnswer(replay, first);
      expect(await legacy.balance(customer)).toBe(2_500);
    });

    it('replays the first response, not the current balance', async () => {
      const customer = await legacy.customerWith(0);
      const key = newKey();
      const first = await deposit(customer.token, customer.id, 100, key);
      await legacy.deposit(customer, 900);

      const replay = await deposit(customer.token, customer.id, 100, key);

      expectSameAnswer(replay, first);
      expect(replay.body.balanceCents).toBe(100);
      expect(await legacy.balance(customer)).toBe(1_000);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another amount, and credits nothing', async () => {
      const customer = await legacy.customerWith(0);
      const key = newKey();
      await deposit(customer.token, customer.id, 100, key).expect(201);

      const reused = await deposit(customer.token, customer.id, 200, key);

      expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await legacy.balance(customer)).toBe(100);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to an admin reusing a key for another customer (documented), and credits nothing', async () => {
      const [first, second] = [await legacy.customerWith(0), await legacy.customerWith(0)];
      const key = newKey();
      await deposit(admin, first.id, 100, key).expect(201);

      const reused = await deposit(admin, second.id, 100, key);

      expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await legacy.balance(first)).toBe(100);
      expect(await legacy.balance(second)).toBe(0);
    });

    it('scopes keys to the caller: two customers may use the same key', async () => {
      const [alice, bob] = [await legacy.customerWith(0), await legacy.customerWith(0)];
      const key = newKey();

      const forAlice = await deposit(alice.token, alice.id, 300, key);
      const forBob = await deposit(bob.token, bob.id, 500, key);

      expect(forAlice.status).toBe(201);
      expect(forBob.status).toBe(201);
      expect(forBob.body).toEqual({ customerId: bob.id, amountCents: 500, balanceCents: 500 });
      expect(await legacy.balance(alice)).toBe(300);
      expect(await legacy.balance(bob)).toBe(500);
    });

    it('scopes keys to the caller: a customer and an admin may use the same key for the same wallet', async () => {
      const customer = await legacy.customerWith(0);
      const key = newKey();

      const byCustomer = await deposit(customer.token, customer.id, 100, key);
      const byAdmin = await deposit(admin, customer.id, 100, key);

      expect(byCustomer.body.balanceCents).toBe(100);
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.balanceCents).toBe(200);
      expect(await legacy.balance(customer)).toBe(200);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED when a key of a deposit is reused for an order (documented: a key covers its route)', async () => {
      const customer = await legacy.customerWith(0);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const key = newKey();
      await deposit(customer.token, customer.id, 1_000, key).expect(201);

      const order = await legacy.placeOrder(customer, [{ productId: product.id, quantity: 1 }], {
        'Idempotency-Key': key,
      });

      expectError(order, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await state(customer, [product])).toEqual({ balance: 1_000, stock: [10], orders: 0 });
    });

    it('does not record a refused request (documented): its key may then be used', async () => {
      const [customer, other] = [await legacy.customerWith(0), await legacy.customerWith(0)];
      const key = newKey();

      const refused = await deposit(customer.token, other.id, 100, key);
      const own = await deposit(customer.token, customer.id, 100, key);

      expectError(refused, 403, 'FORBIDDEN');
      expect(own.status).toBe(201);
      expect(await legacy.balance(customer)).toBe(100);
      expect(await legacy.balance(other)).toBe(0);
    });
  });

  describe('keys of 1 to 128 printable ASCII characters', () => {
    it.each([
      ['one character', 'k'],
      ['128 characters', 'k'.repeat(128)],
      ['spaces and symbols inside', 'a b~!@#$%^&*()_+={}[]|\\:;"\'<>,.?/`'],
    ])('accepts a key of %s, on both routes, and honours it', async (_case, rawKey) => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const items = [{ productId: product.id, quantity: 1 }];

      const firstDeposit = await deposit(customer.token, customer.id, 50, rawKey);
      const replayDeposit = await deposit(customer.token, customer.id, 50, rawKey);
      const orderKey = `${rawKey.slice(0, 127)}o`;
      const firstOrder = await legacy.placeOrder(customer, items, { 'Idempotency-Key': orderKey });
      const replayOrder = await legacy.placeOrder(customer, items, { 'Idempotency-Key': orderKey });

      expect(firstDeposit.status).toBe(201);
      expectSameAnswer(replayDeposit, firstDeposit);
      expect(firstOrder.status).toBe(201);
      expectSameAnswer(replayOrder, firstOrder);
      expect(await state(customer, [product])).toEqual({ balance: 950, stock: [9], orders: 1 });
    });

    const malformed: [string, string][] = [
      ['an empty key', ''],
      ['a key of 129 characters', 'k'.repeat(129)],
      ['a key with a tab', 'key\twith-tab'],
      ['a key with a non-ASCII character', 'cl\u00e9'],
      ['a key of non-ASCII bytes only', '\u00ff\u00fe'],
    ];

    it.each(malformed)('answers 400 VALIDATION_FAILED to an order with %s, and places nothing', async (_case, key) => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });

      const response = await legacy.placeOrder(customer, [{ productId: product.id, quantity: 1 }], {
        'Idempotency-Key': key,
      });

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(await state(customer, [product])).toEqual({ balance: 1_000, stock: [10], orders: 0 });
    });

    it.each(malformed)(
      'answers 400 VALIDATION_FAILED to a deposit with %s, and credits nothing',
      async (_case, key) => {
        const customer = await legacy.customerWith(0);

        const response = await deposit(customer.token, customer.id, 100, key);

        expectError(response, 400, 'VALIDATION_FAILED');
        expect(await legacy.balance(customer)).toBe(0);
      },
    );
  });
});
