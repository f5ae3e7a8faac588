import { randomUUID } from 'node:crypto';
import { OrderBody, PageBody } from './support/api-expectations';
import { Customer, LegacyHarness, Product, bearer } from './support/legacy-harness';

/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('invariants of docs/api.md after a mixed run', () => {
  let legacy: LegacyHarness;
  let admin: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    admin = await legacy.adminToken();
  });
  afterAll(() => legacy.close());

  async function allOrders(customerId: string): Promise<OrderBody[]> {
    const orders: OrderBody[] = [];
    for (let offset = 0; ; offset += 100) {
      const response = await legacy
        .http()
        .get('/api/orders')
        .query({ customerId, limit: 100, offset })
        .set(bearer(admin))
        .expect(200);
      const page = response.body as PageBody<OrderBody>;
      orders.push(...page.items);
      if (page.items.length === 0 || orders.length >= page.total) return orders;
    }
  }

  it.each([[1], [2], [3]])(
    'balance = deposits − APPROVED totals and stock = initial + adjustments − APPROVED quantities (seed %i)',
    async (seed) => {
      const next = random(seed);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
      const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));

      const customers: Customer[] = [];
      for (let index = 0; index < 3; index++) customers.push(await legacy.registerCustomer());
      const products: Product[] = [];
      for (let index = 0; index < 4; index++) {
        products.push(await legacy.createProduct({ priceCents: between(0, 900), stock: between(0, 15) }));
      }
      const initialStock = new Map(products.map((product) => [product.id, product.stock]));
      const deposits = new Map(customers.map((customer) => [customer.id, 0]));
      const adjustments = new Map(products.map((product) => [product.id, 0]));
      const answered = new Map<string, OrderBody>();
      const seen = { approved: 0, rejected: 0, cancelled: 0, refused: 0, replayed: 0 };

      for (let step = 0; step < 80; step++) {
        const customer = pick(customers);
        const action = next();
        if (action < 0.2) {
          const amountCents = between(1, 3_000);
          const key = next() < 0.5 ? randomUUID() : undefined;
          const send = () => {
            const test = legacy.http().post(`/api/customers/${customer.id}/deposits`).set(bearer(customer.token));
            return (key ? test.set('Idempotency-Key', key) : test).send({ amountCents });
          };
          const first = await send();
          expect(first.status).toBe(201);
          deposits.set(customer.id, (deposits.get(customer.id) ?? 0) + amountCents);
          if (key) {
            expect((await send()).text).toBe(first.text);
            seen.replayed++;
          }
        } else if (action < 0.65) {
          const chosen = [...products].sort(() => next() - 0.5).slice(0, between(1, 3));
          const items = chosen.map((product) => ({ productId: product.id, quantity: between(1, 6) }));
          if (next() < 0.1) items.push({ productId: randomUUID(), quantity: 1 });
          const key = next() < 0.3 ? randomUUID() : undefined;
          const response = await legacy.placeOrder(customer, items, key ? { 'Idempotency-Key': key } : {});
          if (response.status === 404) {
            expect(response.body.code).toBe('PRODUCT_NOT_FOUND');
            seen.refused++;
            continue;
          }
          expect(response.status).toBe(201);
          const order = response.body as OrderBody;
          answered.set(order.id, order);
          if (order.status === 'APPROVED') seen.approved++;
          else seen.rejected++;
          if (key) {
            expect((await legacy.placeOrder(customer, items, { 'Idempotency-Key': key })).text).toBe(response.text);
            seen.replayed++;
          }
        } else if (action < 0.8) {
          const cancellable = [...answered.values()].filter((order) => order.status === 'APPROVED');
          if (cancellable.length === 0) continue;
          const order = pick(cancellable);
          const owner = customers.find((candidate) => candidate.id === order.customerId) as Customer;
          const token = next() < 0.5 ? owner.token : admin;
          const response = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(token));
          expect(response.status).toBe(200);
          answered.set(order.id, response.body as OrderBody);
          seen.cancelled++;
          const again = await legacy.http().post(`/api/orders/${order.id}/cancel`).set(bearer(token));
          expect(again.body.code).toBe('ORDER_NOT_CANCELLABLE');
        } else {
          const product = pick(products);
          const delta = pick([-8, -3, -1, 1, 2, 5, 10]);
          const response = await legacy
            .http()
            .post(`/api/products/${product.id}/stock-adjustments`)
            .set(bearer(admin))
            .send({ delta, reason: `step ${step}` });
          if (response.status === 409) {
            expect(response.body.code).toBe('STOCK_NEGATIVE');
            seen.refused++;
          } else {
            expect(response.status).toBe(201);
            adjustments.set(product.id, (adjustments.get(product.id) ?? 0) + delta);
          }
        }
      }

      const orders = (await Promise.all(customers.map((customer) => allOrders(customer.id)))).flat();
      const approved = orders.filter((order) => order.status === 'APPROVED');

      // Every order answered 201 reads back with the same id, in its latest state.
      expect(new Set(orders.map((order) => order.id))).toEqual(new Set(answered.keys()));
      for (const [id, order] of answered) {
        const read = await legacy.http().get(`/api/orders/${id}`).set(bearer(admin));
        expect(read.body).toEqual(order);
      }

      for (const customer of customers) {
        const spent = approved
          .filter((order) => order.customerId === customer.id)
          .reduce((sum, order) => sum + order.totalCents, 0);
        const balance = await legacy.balance(customer);
        expect(balance).toBe((deposits.get(customer.id) ?? 0) - spent);
        expect(balance).toBeGreaterThanOrEqual(0);
      }

      for (const product of products) {
        const taken = approved
          .flatMap((order) => order.items)
          .filter((item) => item.productId === product.id)
          .reduce((sum, item) => sum + item.quantity, 0);
        const stock = await legacy.stock(product.id);
        expect(stock).toBe((initialStock.get(product.id) ?? 0) + (adjustments.get(product.id) ?? 0) - taken);
        expect(stock).toBeGreaterThanOrEqual(0);
      }

      // The run exercised every path it means to check.
      expect(seen.approved).toBeGreaterThan(0);
      expect(seen.rejected).toBeGreaterThan(0);
      expect(seen.cancelled).toBeGreaterThan(0);
      expect(seen.replayed).toBeGreaterThan(0);
    },
  );

  it('holds after a hand-written scenario of every kind of change', async () => {
    const [alice, bob] = [await legacy.registerCustomer(), await legacy.registerCustomer()];
    const mug = await legacy.createProduct({ priceCents: 400, stock: 5 });
    const tea = await legacy.createProduct({ priceCents: 150, stock: 2 });

    await legacy.deposit(alice, 2_000);
    await legacy.deposit(bob, 500);
    const replayKey = randomUUID();
    for (let attempt = 0; attempt < 3; attempt++) {
      await legacy
        .http()
        .post(`/api/customers/${bob.id}/deposits`)
        .set(bearer(bob.token))
        .set('Idempotency-Key', replayKey)
        .send({ amountCents: 300 })
        .expect(201);
    }
    const a1 = await legacy.order(alice, [
      { productId: mug.id, quantity: 2 },
      { productId: tea.id, quantity: 1 },
    ]); // APPROVED 950
    const a2 = await legacy.order(alice, [{ productId: tea.id, quantity: 2 }]); // REJECTED OUT_OF_STOCK
    const b1 = await legacy.order(bob, [{ productId: mug.id, quantity: 3 }]); // REJECTED INSUFFICIENT_FUNDS (1200 > 800)
    const b2 = await legacy.order(bob, [{ productId: mug.id, quantity: 2 }]); // APPROVED 800
    await legacy.adjustStock(tea.id, 4, 'delivery'); // tea 1 + 4 = 5
    await legacy
      .http()
      .post(`/api/products/${mug.id}/stock-adjustments`)
      .set(bearer(admin))
      .send({ delta: -2, reason: 'too many' })
      .expect(409); // mug is at 1
    await legacy.http().post(`/api/orders/${a1.id}/cancel`).set(bearer(alice.token)).expect(200);
    await legacy
      .http()
      .post('/api/orders')
      .set(bearer(alice.token))
      .send({ items: [{ productId: randomUUID(), quantity: 1 }] })
      .expect(404);
    const a3 = await legacy.order(alice, [{ productId: tea.id, quantity: 5 }]); // APPROVED 750

    expect([a1.status, a2.status, b1.status, b2.status, a3.status]).toEqual([
      'APPROVED',
      'REJECTED',
      'REJECTED',
      'APPROVED',
      'APPROVED',
    ]);
    expect([a2.rejectionReason, b1.rejectionReason]).toEqual(['OUT_OF_STOCK', 'INSUFFICIENT_FUNDS']);
    // Balances: deposits minus APPROVED totals (a1 was cancelled, so no longer counts).
    expect(await legacy.balance(alice)).toBe(2_000 - 750);
    expect(await legacy.balance(bob)).toBe(500 + 300 - 800);
    // Stock: initial + adjustments − APPROVED quantities.
    expect(await legacy.stock(mug.id)).toBe(5 + 0 - 2);
    expect(await legacy.stock(tea.id)).toBe(2 + 4 - 5);
    const statuses = Object.fromEntries((await allOrders(alice.id)).map((order) => [order.id, order.status]));
    expect(statuses).toEqual({ [a1.id]: 'CANCELLED', [a2.id]: 'REJECTED', [a3.id]: 'APPROVED' });
  });
});
