import { randomUUID } from 'node:crypto';
import { OrderBody, expectError, expectJson, expectOrderShape, expectPageShape } from './support/api-expectations';
import { freezeClock, setClock, thawClock } from './support/clock';
import { Customer, LegacyHarness, Product, bearer } from './support/legacy-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('orders', () => {
  let legacy: LegacyHarness;
  let admin: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    admin = await legacy.adminToken();
  });
  afterAll(() => legacy.close());

  /** What a failed or rejected order must leave unchanged. */
  async function snapshot(customer: Customer, products: readonly Product[]) {
    return {
      balance: await legacy.balance(customer),
      products: await Promise.all(products.map((product) => legacy.product(product.id))),
    };
  }

  describe('POST /api/orders (a customer)', () => {
    it('answers 201 with an APPROVED Order priced at current prices, takes the stock and debits the wallet', async () => {
      const customer = await legacy.customerWith(10_000);
      const mug = await legacy.createProduct({ priceCents: 300, stock: 5 });
      const tea = await legacy.createProduct({ priceCents: 250, stock: 10 });
      const before = Date.now();

      const response = await legacy.placeOrder(customer, [
        { productId: tea.id, quantity: 3 },
        { productId: mug.id, quantity: 2 },
      ]);

      expect(response.status).toBe(201);
      expectJson(response);
      expectOrderShape(response.body);
      expect(response.body).toEqual({
        id: expect.any(String),
        customerId: customer.id,
        items: [
          { productId: tea.id, quantity: 3, unitPriceCents: 250 },
          { productId: mug.id, quantity: 2, unitPriceCents: 300 },
        ],
        totalCents: 1_350,
        status: 'APPROVED',
        rejectionReason: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(response.body.createdAt)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(response.body.createdAt)).toBeLessThanOrEqual(Date.now() + 1);
      expect(await legacy.stock(mug.id)).toBe(3);
      expect(await legacy.stock(tea.id)).toBe(7);
      expect(await legacy.balance(customer)).toBe(8_650);
    });

    it('stores the order: GET /api/orders/{id} answers the same Order', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 5 });
      const placed = await legacy.order(customer, [{ productId: product.id, quantity: 2 }]);

      const read = await legacy.http().get(`/api/orders/${placed.id}`).set(bearer(customer.token));

      expect(read.status).toBe(200);
      expect(read.body).toEqual(placed);
    });

    it("prices each item at the product's priceCents at the time of the order", async () => {
      const customer = await legacy.customerWith(100_000);
      const products = [
        await legacy.createProduct({ priceCents: 0, stock: 5 }),
        await legacy.createProduct({ priceCents: 1, stock: 5 }),
        await legacy.createProduct({ priceCents: 4_999, stock: 5 }),
      ];

      const order = await legacy.order(
        customer,
        products.map((product) => ({ productId: product.id, quantity: 2 })),
      );

      expect(order.items.map((item) => item.unitPriceCents)).toEqual([0, 1, 4_999]);
      expect(order.totalCents).toBe(2 * (0 + 1 + 4_999));
      expect(order.status).toBe('APPROVED');
    });

    it('approves an order that takes exactly the whole stock and the whole balance', async () => {
      const customer = await legacy.customerWith(1_500);
      const product = await legacy.createProduct({ priceCents: 500, stock: 3 });

      const order = await legacy.order(customer, [{ productId: product.id, quantity: 3 }]);

      expect(order).toMatchObject({ status: 'APPROVED', rejectionReason: null, totalCents: 1_500 });
      expect(await legacy.stock(product.id)).toBe(0);
      expect(await legacy.balance(customer)).toBe(0);
    });

    it('answers 201 REJECTED with OUT_OF_STOCK when a product lacks the stock, stores the order and changes nothing', async () => {
      const customer = await legacy.customerWith(100_000);
      const plenty = await legacy.createProduct({ priceCents: 100, stock: 50 });
      const scarce = await legacy.createProduct({ priceCents: 200, stock: 2 });
      const before = await snapshot(customer, [plenty, scarce]);

      const response = await legacy.placeOrder(customer, [
        { productId: plenty.id, quantity: 10 },
        { productId: scarce.id, quantity: 3 },
      ]);

      expect(response.status).toBe(201);
      expectOrderShape(response.body);
      expect(response.body).toEqual({
        id: expect.any(String),
        customerId: customer.id,
        items: [
          { productId: plenty.id, quantity: 10, unitPriceCents: 100 },
          { productId: scarce.id, quantity: 3, unitPriceCents: 200 },
        ],
        totalCents: 1_600,
        status: 'REJECTED',
        rejectionReason: 'OUT_OF_STOCK',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await snapshot(customer, [plenty, scarce])).toEqual(before);
      const read = await legacy.http().get(`/api/orders/${response.body.id}`).set(bearer(customer.token));
      expect(read.body).toEqual(response.body);
    });

    it('checks the stock before the funds: OUT_OF_STOCK when both are lacking', async () => {
      const customer = await legacy.customerWith(10);
      const product = await legacy.createProduct({ priceCents: 1_000, stock: 1 });
      const before = await snapshot(customer, [product]);

      const order = await legacy.order(customer, [{ productId: product.id, quantity: 2 }]);

      expect(order).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_STOCK', totalCents: 2_000 });
      expect(await snapshot(customer, [product])).toEqual(before);
    });

    it('checks the stock before the funds for a customer with an empty wallet', async () => {
      const customer = await legacy.customerWith(0);
      const product = await legacy.createProduct({ priceCents: 1, stock: 0 });

      const order = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);

      expect(order).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_STOCK' });
    });

    it('answers 201 REJECTED with INSUFFICIENT_FUNDS when the wallet holds less than the total, and changes nothing', async () => {
      const customer = await legacy.customerWith(1_499);
      const first = await legacy.createProduct({ priceCents: 500, stock: 10 });
      const second = await legacy.createProduct({ priceCents: 250, stock: 10 });
      const before = await snapshot(customer, [first, second]);

      const response = await legacy.placeOrder(customer, [
        { productId: first.id, quantity: 2 },
        { productId: second.id, quantity: 2 },
      ]);

      expect(response.status).toBe(201);
      expectOrderShape(response.body);
      expect(response.body).toMatchObject({
        customerId: customer.id,
        totalCents: 1_500,
        status: 'REJECTED',
        rejectionReason: 'INSUFFICIENT_FUNDS',
      });
      expect(await snapshot(customer, [first, second])).toEqual(before);
      const read = await legacy.http().get(`/api/orders/${response.body.id}`).set(bearer(customer.token));
      expect(read.body).toEqual(response.body);
    });

    it('approves the same order once the wallet holds the total', async () => {
      const customer = await legacy.customerWith(100);
      const product = await legacy.createProduct({ priceCents: 150, stock: 1 });
      const rejected = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);
      await legacy.deposit(customer, 50);

      const approved = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);

      expect(rejected.status).toBe('REJECTED');
      expect(approved).toMatchObject({ status: 'APPROVED', rejectionReason: null });
      expect(approved.id).not.toBe(rejected.id);
      expect(await legacy.balance(customer)).toBe(0);
      expect(await legacy.stock(product.id)).toBe(0);
    });

    it.each([
      ['the only product is unknown', (_known: Product) => [{ productId: randomUUID(), quantity: 1 }]],
      [
        'one of the products is unknown',
        (known: Product) => [
          { productId: known.id, quantity: 1 },
          { productId: randomUUID(), quantity: 1 },
        ],
      ],
    ])('answers 404 PRODUCT_NOT_FOUND when %s, changes nothing and stores no order', async (_case, items) => {
      const customer = await legacy.customerWith(10_000);
      const known = await legacy.createProduct({ priceCents: 100, stock: 10 });
      const before = await snapshot(customer, [known]);

      const response = await legacy.placeOrder(customer, items(known));

      expectError(response, 404, 'PRODUCT_NOT_FOUND');
      expect(await snapshot(customer, [known])).toEqual(before);
      expect(await legacy.orderCount(customer)).toBe(0);
      expect((await legacy.orders(customer)).length).toBe(0);
    });

    it('accepts 50 items and keeps them in the order of the request', async () => {
      const customer = await legacy.customerWith(5_000);
      const products: Product[] = [];
      for (let index = 0; index < 50; index++)
        products.push(await legacy.createProduct({ priceCents: 10 + index, stock: 1 }));
      const items = [...products].reverse().map((product) => ({ productId: product.id, quantity: 1 }));

      const response = await legacy.placeOrder(customer, items);

      expect(response.status).toBe(201);
      expectOrderShape(response.body);
      expect(response.body.status).toBe('APPROVED');
      expect(response.body.items.map((item) => item.productId)).toEqual(items.map((item) => item.productId));
      const read = await legacy.http().get(`/api/orders/${response.body.id}`).set(bearer(customer.token));
      expect(read.body.items).toEqual(response.body.items);
    });

    it.each([
      ['quantity 1', 1],
      ['quantity 100', 100],
    ])('accepts %s', async (_case, quantity) => {
      const customer = await legacy.customerWith(quantity);
      const product = await legacy.createProduct({ priceCents: 1, stock: 100 });

      const order = await legacy.order(customer, [{ productId: product.id, quantity }]);

      expect(order).toMatchObject({ status: 'APPROVED', totalCents: quantity });
      expect(order.items).toEqual([{ productId: product.id, quantity, unitPriceCents: 1 }]);
    });

    describe('answers 400 VALIDATION_FAILED, and places nothing, for', () => {
      let customer: Customer;
      let product: Product;
      let other: Product;

      beforeAll(async () => {
        customer = await legacy.customerWith(100_000);
        product = await legacy.createProduct({ priceCents: 1, stock: 1_000 });
        other = await legacy.createProduct({ priceCents: 1, stock: 1_000 });
      });

      const item = (overrides: Record<string, unknown> = {}) => ({ productId: product.id, quantity: 1, ...overrides });
      const manyItems = (count: number) =>
        Array.from({ length: count }, () => ({ productId: randomUUID(), quantity: 1 }));

      it.each([
        ['no items', () => ({})],
        ['items null', () => ({ items: null })],
        ['items that is an object', () => ({ items: item() })],
        ['no item (an empty list)', () => ({ items: [] })],
        ['51 items', () => ({ items: manyItems(51) })],
        ['an item without productId', () => ({ items: [{ quantity: 1 }] })],
        ['an item without quantity', () => ({ items: [{ productId: product.id }] })],
        ['a productId that is not a UUID', () => ({ items: [item({ productId: 'mug' })] })],
        ['a productId that is a number', () => ({ items: [item({ productId: 7 })] })],
        ['quantity 0', () => ({ items: [item({ quantity: 0 })] })],
        ['a negative quantity', () => ({ items: [item({ quantity: -1 })] })],
        ['quantity 101', () => ({ items: [item({ quantity: 101 })] })],
        ['a fractional quantity', () => ({ items: [item({ quantity: 1.5 })] })],
        ['quantity as a string', () => ({ items: [item({ quantity: '1' })] })],
        ['quantity null', () => ({ items: [item({ quantity: null })] })],
        ['an item with an unknown field', () => ({ items: [item({ unitPriceCents: 0 })] })],
        ['an item that is a string', () => ({ items: [product.id] })],
        ['an unknown field beside items', () => ({ items: [item()], customerId: customer.id })],
        ['the same productId twice', () => ({ items: [item(), item({ quantity: 2 })] })],
        [
          'the same productId twice, in different letter case',
          () => ({ items: [item(), item({ productId: product.id.toUpperCase() })] }),
        ],
        [
          'a duplicate productId among others',
          () => ({ items: [item(), { productId: other.id, quantity: 1 }, item({ quantity: 3 })] }),
        ],
      ])('%s', async (_case, body) => {
        const before = await snapshot(customer, [product, other]);
        const count = await legacy.orderCount(customer);

        const response = await legacy.http().post('/api/orders').set(bearer(customer.token)).send(body());

        expectError(response, 400, 'VALIDATION_FAILED');
        expect(await snapshot(customer, [product, other])).toEqual(before);
        expect(await legacy.orderCount(customer)).toBe(count);
      });
    });

    it('answers 403 FORBIDDEN to an admin token, and places nothing', async () => {
      const product = await legacy.createProduct({ stock: 5 });

      const response = await legacy
        .http()
        .post('/api/orders')
        .set(bearer(admin))
        .send({ items: [{ productId: product.id, quantity: 1 }] });

      expectError(response, 403, 'FORBIDDEN');
      expect(await legacy.stock(product.id)).toBe(5);
    });
  });

  describe('GET /api/orders/{id} (its customer, admin)', () => {
    let owner: Customer;
    let order: OrderBody;

    beforeAll(async () => {
      owner = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 100, stock: 10 });
      order = await legacy.order(owner, [{ productId: product.id, quantity: 2 }]);
    });

    it('answers 200 with the Order to its customer', async () => {
      const response = await legacy.http().get(`/api/orders/${order.id}`).set(bearer(owner.token));

      expect(response.status).toBe(200);
      expectJson(response);
      expectOrderShape(response.body);
      expect(response.body).toEqual(order);
    });

    it('answers 200 with the Order to an admin', async () => {
      const response = await legacy.http().get(`/api/orders/${order.id}`).set(bearer(admin));

      expect(response.status).toBe(200);
      expect(response.body).toEqual(order);
    });

    it('answers 404 ORDER_NOT_FOUND to another customer, as for an order that does not exist', async () => {
      const stranger = await legacy.registerCustomer();

      const response = await legacy.http().get(`/api/orders/${order.id}`).set(bearer(stranger.token));

      expectError(response, 404, 'ORDER_NOT_FOUND');
    });

    it.each([
      ['its customer', () => owner.token],
      ['an admin', () => admin],
    ])('answers 404 ORDER_NOT_FOUND to %s for an id no order has', async (_case, token) => {
      expectError(await legacy.http().get(`/api/orders/${randomUUID()}`).set(bearer(token())), 404, 'ORDER_NOT_FOUND');
    });
  });

  describe('GET /api/orders?limit&offset&customerId', () => {
    let alice: Customer;
    let bob: Customer;
    let aliceOrders: OrderBody[];
    let bobOrders: OrderBody[];

    beforeAll(async () => {
      [alice, bob] = [await legacy.customerWith(100_000), await legacy.customerWith(100_000)];
      const product = await legacy.createProduct({ priceCents: 100, stock: 1_000 });
      const scarce = await legacy.createProduct({ priceCents: 100, stock: 0 });
      aliceOrders = [];
      bobOrders = [];
      for (let index = 0; index < 3; index++) {
        aliceOrders.push(await legacy.order(alice, [{ productId: product.id, quantity: index + 1 }]));
        await sleep(3);
        bobOrders.push(await legacy.order(bob, [{ productId: product.id, quantity: 1 }]));
        await sleep(3);
      }
      aliceOrders.push(await legacy.order(alice, [{ productId: scarce.id, quantity: 1 }]));
    });

    const newestFirst = (orders: readonly OrderBody[]) => [...orders].reverse();

    it('answers a customer a page of their own orders only, newest first, limit 20 and offset 0 by default', async () => {
      const response = await legacy.http().get('/api/orders').set(bearer(alice.token));

      expect(response.status).toBe(200);
      expectJson(response);
      expectPageShape(response.body, { limit: 20, offset: 0 }, expectOrderShape);
      expect(response.body).toEqual({ items: newestFirst(aliceOrders), total: 4, limit: 20, offset: 0 });
    });

    it('lists rejected orders too', async () => {
      const response = await legacy.http().get('/api/orders').set(bearer(alice.token));

      expect((response.body.items as OrderBody[]).map((order) => order.status)).toEqual([
        'REJECTED',
        'APPROVED',
        'APPROVED',
        'APPROVED',
      ]);
    });

    it('ignores customerId for a customer: always their own orders', async () => {
      const response = await legacy.http().get('/api/orders').query({ customerId: bob.id }).set(bearer(alice.token));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: newestFirst(aliceOrders), total: 4, limit: 20, offset: 0 });
    });

    it('answers an admin every order, newest first', async () => {
      const response = await legacy.http().get('/api/orders').query({ limit: 100 }).set(bearer(admin));

      expect(response.status).toBe(200);
      expectPageShape(response.body, { limit: 100, offset: 0 }, expectOrderShape);
      const ids = (response.body.items as OrderBody[]).map((order) => order.id);
      for (const order of [...aliceOrders, ...bobOrders]) expect(ids).toContain(order.id);
      const times = (response.body.items as OrderBody[]).map((order) => order.createdAt);
      expect(times).toEqual([...times].sort().reverse());
    });

    it("answers an admin one customer's orders with customerId", async () => {
      const response = await legacy.http().get('/api/orders').query({ customerId: bob.id }).set(bearer(admin));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: newestFirst(bobOrders), total: 3, limit: 20, offset: 0 });
    });

    it('answers an admin an empty page for a customerId without orders', async () => {
      const response = await legacy.http().get('/api/orders').query({ customerId: randomUUID() }).set(bearer(admin));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    });

    it('pages with limit and offset', async () => {
      const pages = await Promise.all(
        [
          { limit: 2, offset: 0 },
          { limit: 2, offset: 2 },
          { limit: 2, offset: 4 },
        ].map((query) => legacy.http().get('/api/orders').query(query).set(bearer(alice.token))),
      );

      const all = newestFirst(aliceOrders);
      expect(pages.map((page) => page.body)).toEqual([
        { items: all.slice(0, 2), total: 4, limit: 2, offset: 0 },
        { items: all.slice(2, 4), total: 4, limit: 2, offset: 2 },
        { items: [], total: 4, limit: 2, offset: 4 },
      ]);
    });

    it('gives at most 20 orders by default', async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 1, stock: 100 });
      for (let index = 0; index < 21; index++) await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);

      const response = await legacy.http().get('/api/orders').set(bearer(customer.token));

      expect(response.body.items).toHaveLength(20);
      expect(response.body).toMatchObject({ total: 21, limit: 20, offset: 0 });
    });

    it.each([
      ['limit=1', { limit: '1' }, { limit: 1, offset: 0 }],
      ['limit=100', { limit: '100' }, { limit: 100, offset: 0 }],
      ['offset=1', { offset: '1' }, { limit: 20, offset: 1 }],
    ])('accepts %s', async (_case, query, expected) => {
      const response = await legacy.http().get('/api/orders').query(query).set(bearer(alice.token));

      expect(response.status).toBe(200);
      expectPageShape(response.body, expected, expectOrderShape);
    });

    it.each([
      ['limit=0', { limit: '0' }],
      ['limit=101', { limit: '101' }],
      ['limit=-5', { limit: '-5' }],
      ['limit=ten', { limit: 'ten' }],
      ['offset=-1', { offset: '-1' }],
      ['offset=1.5', { offset: '1.5' }],
      ['a customerId that is not a UUID (admin)', { customerId: 'bob' }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_case, query) => {
      expectError(await legacy.http().get('/api/orders').query(query).set(bearer(admin)), 400, 'VALIDATION_FAILED');
      expectError(
        await legacy.http().get('/api/orders').query(query).set(bearer(alice.token)),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('orders by createdAt descending, then by id ascending for orders of the same millisecond', async () => {
      const customer = await legacy.customerWith(10_000);
      const product = await legacy.createProduct({ priceCents: 1, stock: 100 });
      const earlier = Date.now() + 1_000;
      const later = earlier + 1_000;
      const placed: OrderBody[] = [];
      try {
        freezeClock(earlier);
        for (let index = 0; index < 6; index++)
          placed.push(await legacy.order(customer, [{ productId: product.id, quantity: 1 }]));
        setClock(later);
        for (let index = 0; index < 6; index++)
          placed.push(await legacy.order(customer, [{ productId: product.id, quantity: 1 }]));
      } finally {
        thawClock();
      }
      const ids = (orders: OrderBody[]) => orders.map((order) => order.id).sort();
      const expected = [...ids(placed.slice(6)), ...ids(placed.slice(0, 6))];

      const mine = await legacy.http().get('/api/orders').set(bearer(customer.token));
      const admins = await legacy.http().get('/api/orders').query({ customerId: customer.id }).set(bearer(admin));

      expect(placed.map((order) => order.createdAt)).toEqual([
        ...Array(6).fill(new Date(earlier).toISOString()),
        ...Array(6).fill(new Date(later).toISOString()),
      ]);
      expect((mine.body.items as OrderBody[]).map((order) => order.id)).toEqual(expected);
      expect((admins.body.items as OrderBody[]).map((order) => order.id)).toEqual(expected);
    });
  });

  describe('POST /api/orders/{id}/cancel (its customer, admin)', () => {
    it('answers 200 with the Order CANCELLED, puts the stock back and refunds the total', async () => {
      const customer = await legacy.customerWith(5_000);
      const first = await legacy.createProduct({ priceCents: 700, stock: 4 });
      const second = await legacy.createProduct({ priceCents: 100, stock: 9 });
      const order = await legacy.order(customer, [
        { productId: first.id, quantity: 3 },
        { productId: second.id, quantity: 5 },
      ]);
      expect(await legacy.balance(customer)).toBe(2_400);
      await sleep(5);

      const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(customer.token));

      expect(response.status).toBe(200);
      expectJson(response);
      expectOrderShape(response.body);
      expect(response.body).toEqual({
        ...order,
        status: 'CANCELLED',
        rejectionReason: null,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThan(Date.parse(order.createdAt));
      expect(await legacy.stock(first.id)).toBe(4);
      expect(await legacy.stock(second.id)).toBe(9);
      expect(await legacy.balance(customer)).toBe(5_000);
      const read = await legacy.http().get(`/api/orders/${order.id}`).set(bearer(customer.token));
      expect(read.body).toEqual(response.body);
    });

    it("lets an admin cancel a customer's order, refunding that customer", async () => {
      const customer = await legacy.customerWith(1_000);
      const product = await legacy.createProduct({ priceCents: 250, stock: 2 });
      const order = await legacy.order(customer, [{ productId: product.id, quantity: 2 }]);

      const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(admin));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: order.id, customerId: customer.id, status: 'CANCELLED' });
      expect(await legacy.balance(customer)).toBe(1_000);
      expect(await legacy.stock(product.id)).toBe(2);
    });

    it('accepts an empty JSON object as the body', async () => {
      const customer = await legacy.customerWith(100);
      const product = await legacy.createProduct({ priceCents: 100, stock: 1 });
      const order = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);

      const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(customer.token)).send({});

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('CANCELLED');
    });

    it('answers 400 VALIDATION_FAILED for a body with a field, and cancels nothing', async () => {
      const customer = await legacy.customerWith(100);
      const product = await legacy.createProduct({ priceCents: 100, stock: 1 });
      const order = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);

      const response = await legacy
        .http()
        .post(`/api/orders/${order.id}/cancel`)
        .set(bearer(customer.token))
        .send({ reason: 'changed my mind' });

      expectError(response, 400, 'VALIDATION_FAILED');
      expect((await legacy.http().get(`/api/orders/${order.id}`).set(bearer(customer.token))).body.status).toBe(
        'APPROVED',
      );
    });

    it('answers 404 ORDER_NOT_FOUND to another customer, and nothing changes', async () => {
      const customer = await legacy.customerWith(1_000);
      const stranger = await legacy.customerWith(0);
      const product = await legacy.createProduct({ priceCents: 100, stock: 5 });
      const order = await legacy.order(customer, [{ productId: product.id, quantity: 5 }]);

      const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(stranger.token));

      expectError(response, 404, 'ORDER_NOT_FOUND');
      expect((await legacy.http().get(`/api/orders/${order.id}`).set(bearer(customer.token))).body).toEqual(order);
      expect(await legacy.stock(product.id)).toBe(0);
      expect(await legacy.balance(customer)).toBe(500);
      expect(await legacy.balance(stranger)).toBe(0);
    });

    it.each([
      ['a customer', async () => (await legacy.customerWith(0)).token],
      ['an admin', async () => admin],
    ])('answers 404 ORDER_NOT_FOUND to %s for an id no order has', async (_case, token) => {
      const response = await legacy
        .http()
        .post(`/api/orders/${randomUUID()}/cancel`)
        .set(bearer(await token()));

      expectError(response, 404, 'ORDER_NOT_FOUND');
    });

    it.each([
      ['OUT_OF_STOCK', 1_000, 0],
      ['INSUFFICIENT_FUNDS', 0, 10],
    ])(
      'answers 409 ORDER_NOT_CANCELLABLE for a REJECTED (%s) order, and nothing changes',
      async (_reason, balance, stock) => {
        const customer = await legacy.customerWith(balance);
        const product = await legacy.createProduct({ priceCents: 100, stock });
        const order = await legacy.order(customer, [{ productId: product.id, quantity: 1 }]);
        expect(order.status).toBe('REJECTED');
        const before = await snapshot(customer, [product]);

        const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(customer.token));

        expectError(response, 409, 'ORDER_NOT_CANCELLABLE');
        expect(await snapshot(customer, [product])).toEqual(before);
        expect((await legacy.http().get(`/api/orders/${order.id}`).set(bearer(customer.token))).body).toEqual(order);
      },
    );

    it.each([
      ['its customer', (customer: Customer) => customer.token],
      ['an admin', () => admin],
    ])(
      'answers 409 ORDER_NOT_CANCELLABLE when %s cancels an order already CANCELLED, and refunds nothing twice',
      async (_case, token) => {
        const customer = await legacy.customerWith(1_000);
        const product = await legacy.createProduct({ priceCents: 300, stock: 3 });
        const order = await legacy.order(customer, [{ productId: product.id, quantity: 2 }]);
        const cancelled = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(customer.token));
        expect(cancelled.status).toBe(200);

        const again = await legacy
          .http()
          .post(`/api/orders/${order.id}/cancel`)
          .set(bearer(token(customer)));

        expectError(again, 409, 'ORDER_NOT_CANCELLABLE');
        expect(await legacy.balance(customer)).toBe(1_000);
        expect(await legacy.stock(product.id)).toBe(3);
        expect((await legacy.http().get(`/api/orders/${order.id}`).set(bearer(customer.token))).body).toEqual(
          cancelled.body,
        );
      },
    );
  });
});
