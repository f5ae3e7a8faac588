import { randomUUID } from 'node:crypto';
import { countBy, delay, seededRandom, times } from './support/concurrency-tools';
import { Customer, LegacyHarness, Product } from './support/legacy-harness';
import { Answer, OrderBody, OrderItem, ShopClient } from './support/shop-client';

/** What the storm test keeps of each answer, to judge them all at the end. */
const statusLine = (label: string, answer: Answer) => ({
  label,
  status: answer.status,
  code: (answer.body as { code?: string } | undefined)?.code,
});

describe.each(['sqlite', 'postgres'] as const)('concurrency on %s', (database) => {
  let legacy: LegacyHarness;
  let shop: ShopClient;
  let admin: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start({ database });
    shop = new ShopClient(legacy.url);
    admin = await legacy.adminToken();
  });
  afterAll(() => legacy?.close());

  const balanceOf = async (customerId: string) => {
    const answer = await shop.getCustomer(admin, customerId);
    expect(answer.status).toBe(200);
    return answer.body.balanceCents;
  };
  const stockOf = async (productId: string) => {
    const answer = await shop.getProduct(productId);
    expect(answer.status).toBe(200);
    return answer.body.stock;
  };

  it('approves exactly as many of 50 simultaneous orders as one wallet can pay for', async () => {
    const priceCents = 700;
    const affordable = 17;
    const attempts = 50;
    const product = await legacy.createProduct({ priceCents, stock: 100 });
    const customer = await legacy.registerCustomer();
    const deposited = affordable * priceCents + priceCents - 1;
    await legacy.deposit(customer, deposited);

    const item = { productId: product.id, quantity: 1 };
    const [orders, peeks] = await Promise.all([
      Promise.all(times(attempts, () => shop.placeOrder(customer.token, [item]))),
      // Reads while the orders are in flight: a balance is never seen below zero.
      Promise.all(times(10, (i) => delay(i * 5).then(() => shop.getCustomer(customer.token, customer.id)))),
    ]);

    expect(orders.map((answer) => answer.status)).toEqual(times(attempts, () => 201));
    expect(countBy(orders, (answer) => `${answer.body.status}/${answer.body.rejectionReason}`)).toEqual({
      'APPROVED/null': affordable,
      'REJECTED/INSUFFICIENT_FUNDS': attempts - affordable,
    });
    for (const { body } of orders) {
      expect(body).toMatchObject({
        customerId: customer.id,
        items: [{ ...item, unitPriceCents: priceCents }],
        totalCents: priceCents,
      });
    }
    expect(new Set(orders.map(({ body }) => body.id)).size).toBe(attempts);
    for (const peek of peeks) {
      expect(peek.status).toBe(200);
      expect(peek.body.balanceCents).toBeGreaterThanOrEqual(0);
      expect(peek.body.balanceCents).toBeLessThanOrEqual(deposited);
    }

    expect(await balanceOf(customer.id)).toBe(deposited - affordable * priceCents);
    expect(await stockOf(product.id)).toBe(100 - affordable);
    const stored = await shop.allOrders(customer.token);
    expect(stored.map((order) => order.id).sort()).toEqual(orders.map(({ body }) => body.id).sort());
    expect(countBy(stored, (order) => order.status)).toEqual({
      APPROVED: affordable,
      REJECTED: attempts - affordable,
    });
  });

  it('sells exactly the stock of one product to 50 simultaneous buyers', async () => {
    const stock = 13;
    const buyers = 50;
    const priceCents = 1_000;
    const funds = 2_500;
    const product = await legacy.createProduct({ priceCents, stock });
    const customers = await Promise.all(times(buyers, () => legacy.registerCustomer()));
    await Promise.all(customers.map((customer) => legacy.deposit(customer, funds)));

    const orders = await Promise.all(
      customers.map((customer) => shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }])),
    );

    expect(orders.map((answer) => answer.status)).toEqual(times(buyers, () => 201));
    expect(countBy(orders, (answer) => `${answer.body.status}/${answer.body.rejectionReason}`)).toEqual({
      'APPROVED/null': stock,
      'REJECTED/OUT_OF_STOCK': buyers - stock,
    });
    expect(await stockOf(product.id)).toBe(0);
    const balances = await Promise.all(customers.map((customer) => balanceOf(customer.id)));
    expect(balances).toEqual(orders.map(({ body }) => (body.status === 'APPROVED' ? funds - priceCents : funds)));
  });

  it('keeps every invariant through a mix of orders, cancellations, deposits and stock adjustments', async () => {
    const random = seededRandom(database === 'sqlite' ? 20_251_122 : 20_251_123);
    const initialStock = 25;
    const products = await Promise.all(
      [150, 275, 420, 990].map((priceCents) => legacy.createProduct({ priceCents, stock: initialStock })),
    );
    const customers = await Promise.all(times(6, () => legacy.registerCustomer()));
    const priceOf = new Map(products.map((product) => [product.id, product.priceCents]));

    // What the API told us, from which the final state is computed.
    const deposited = new Map<string, number>(customers.map((customer) => [customer.id, 0]));
    const adjusted = new Map<string, number>(products.map((product) => [product.id, 0]));
    const placed = new Map<string, OrderBody>();
    const cancelled = new Map<string, number>();
    const answers: ReturnType<typeof statusLine>[] = [];

    await Promise.all(
      customers.map(async (customer) => {
        deposited.set(customer.id, await legacy.deposit(customer, 15_000));
      }),
    );
    // Approved orders that the storm will cancel, some twice at once.
    const toCancel: { customer: Customer; order: OrderBody }[] = [];
    for (const [index, customer] of customers.entries()) {
      for (const quantity of [1, 2]) {
        const product = products[(index + quantity) % products.length] as Product;
        const answer = await shop.placeOrder(customer.token, [{ productId: product.id, quantity }]);
        expect(answer.body.status).toBe('APPROVED');
        placed.set(answer.body.id, answer.body);
        toCancel.push({ customer, order: answer.body });
      }
    }

    const cancel = async (token: string, orderId: string) => {
      const answer = await shop.cancelOrder(token, orderId);
      answers.push(statusLine('cancel', answer));
      if (answer.status === 200) {
        expect(answer.body).toMatchObject({ id: orderId, status: 'CANCELLED', rejectionReason: null });
        cancelled.set(orderId, (cancelled.get(orderId) ?? 0) + 1);
      }
      return answer;
    };

    const tasks: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 60; i += 1) {
      const customer = random.pick(customers);
      // Products in a different order in each request: with row locks taken in request order, this deadlocks.
      const items: OrderItem[] = random
        .shuffle(products)
        .slice(0, random.int(2, 4))
        .map((product) => ({ productId: product.id, quantity: random.int(1, 3) }));
      const cancelAfterwards = random.next() < 0.4;
      tasks.push(async () => {
        const answer = await shop.placeOrder(customer.token, items);
        answers.push(statusLine('order', answer));
        if (answer.status !== 201) return;
        placed.set(answer.body.id, answer.body);
        if (cancelAfterwards && answer.body.status === 'APPROVED') await cancel(customer.token, answer.body.id);
      });
    }
    for (const [index, { customer, order }] of toCancel.entries()) {
      tasks.push(() => cancel(customer.token, order.id));
      if (index % 3 === 0) tasks.push(() => cancel(admin, order.id));
    }
    for (let i = 0; i < 15; i += 1) {
      const customer = random.pick(customers);
      const amountCents = random.int(100, 3_000);
      const token = i % 4 === 0 ? admin : customer.token;
      tasks.push(async () => {
        const answer = await shop.deposit(token, customer.id, amountCents);
        answers.push(statusLine('deposit', answer));
        if (answer.status === 201) deposited.set(customer.id, (deposited.get(customer.id) ?? 0) + amountCents);
      });
    }
    for (let i = 0; i < 12; i += 1) {
      const product = random.pick(products);
      const delta = random.pick([7, 4, -3, -6]);
      tasks.push(async () => {
        const answer = await shop.adjustStock(admin, product.id, delta);
        answers.push(statusLine('adjust', answer));
        if (answer.status === 201) {
          expect(answer.body.stock).toBeGreaterThanOrEqual(0);
          adjusted.set(product.id, (adjusted.get(product.id) ?? 0) + delta);
        }
      });
    }
    for (let i = 0; i < 8; i += 1) {
      tasks.push(async () => {
        const [customerAnswer, productAnswer] = await Promise.all([
          shop.getCustomer(admin, random.pick(customers).id),
          shop.getProduct(random.pick(products).id),
        ]);
        answers.push(statusLine('read', customerAnswer), statusLine('read', productAnswer));
        expect(customerAnswer.body.balanceCents).toBeGreaterThanOrEqual(0);
        expect(productAnswer.body.stock).toBeGreaterThanOrEqual(0);
      });
    }

    await Promise.all(random.shuffle(tasks).map((task) => task()));

    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    const unexpected = answers.filter(
      ({ label, status, code }) =>
        !(
          (label === 'order' && status === 201) ||
          (label === 'deposit' && status === 201) ||
          (label === 'read' && status === 200) ||
          (label === 'cancel' && (status === 200 || (status === 409 && code === 'ORDER_NOT_CANCELLABLE'))) ||
          (label === 'adjust' && (status === 201 || (status === 409 && code === 'STOCK_NEGATIVE')))
        ),
    );
    expect(unexpected).toEqual([]);
    // Each pre-placed order was APPROVED when the storm began: one cancellation won, the others were refused.
    for (const { order } of toCancel) expect(cancelled.get(order.id)).toBe(1);
    expect([...cancelled.values()].every((count) => count === 1)).toBe(true);

    const finalStatus = (order: OrderBody) => (cancelled.has(order.id) ? 'CANCELLED' : order.status);
    const approved = [...placed.values()].filter((order) => finalStatus(order) === 'APPROVED');
    for (const order of placed.values()) {
      expect(order.totalCents).toBe(
        order.items.reduce((sum, item) => sum + item.quantity * (priceOf.get(item.productId) ?? NaN), 0),
      );
      if (order.status === 'REJECTED') expect(['OUT_OF_STOCK', 'INSUFFICIENT_FUNDS']).toContain(order.rejectionReason);
    }
    // The mix must have exercised both outcomes, or it tests little.
    expect(countBy([...placed.values()], (order) => order.status)).toMatchObject({
      APPROVED: expect.any(Number),
      REJECTED: expect.any(Number),
    });

    for (const customer of customers) {
      const spent = approved
        .filter((order) => order.customerId === customer.id)
        .reduce((sum, order) => sum + order.totalCents, 0);
      const balance = await balanceOf(customer.id);
      expect({ customer: customer.id, balance }).toEqual({
        customer: customer.id,
        balance: (deposited.get(customer.id) ?? 0) - spent,
      });
      expect(balance).toBeGreaterThanOrEqual(0);

      const stored = await shop.allOrders(admin, customer.id);
      const expected = [...placed.values()].filter((order) => order.customerId === customer.id);
      expect(stored.map((order) => `${order.id}:${order.status}`).sort()).toEqual(
        expected.map((order) => `${order.id}:${finalStatus(order)}`).sort(),
      );
    }
    for (const product of products) {
      const taken = approved
        .flatMap((order) => order.items)
        .filter((item) => item.productId === product.id)
        .reduce((sum, item) => sum + item.quantity, 0);
      const stock = await stockOf(product.id);
      expect({ product: product.id, stock }).toEqual({
        product: product.id,
        stock: initialStock + (adjusted.get(product.id) ?? 0) - taken,
      });
      expect(stock).toBeGreaterThanOrEqual(0);
    }
    // Every order answered 201 reads back by its id, as its customer sees it.
    const tokenOf = new Map(customers.map((customer) => [customer.id, customer.token]));
    const readBack = await Promise.all(
      [...placed.values()].map((order) => shop.getOrder(tokenOf.get(order.customerId) ?? '', order.id)),
    );
    for (const [index, order] of [...placed.values()].entries()) {
      expect(readBack[index]).toMatchObject({
        status: 200,
        body: { ...order, status: finalStatus(order), updatedAt: expect.any(String) },
      });
    }
  });

  describe('concurrent repeats with one Idempotency-Key', () => {
    it('place one order and answer all ten alike', async () => {
      const product = await legacy.createProduct({ priceCents: 1_200, stock: 10 });
      const customer = await legacy.registerCustomer();
      await legacy.deposit(customer, 5_000);
      const key = `order-${randomUUID()}`;
      const items = [{ productId: product.id, quantity: 3 }];

      const answers = await Promise.all(times(10, () => shop.placeOrder(customer.token, items, key)));

      const first = answers[0] as Answer<OrderBody>;
      expect(first).toMatchObject({ status: 201, body: { status: 'APPROVED', totalCents: 3_600 } });
      for (const answer of answers) expect(answer).toEqual(first);
      expect(await shop.placeOrder(customer.token, items, key)).toEqual(first);
      expect(await shop.placeOrder(customer.token, [{ productId: product.id, quantity: 1 }], key)).toMatchObject({
        status: 422,
        body: { code: 'IDEMPOTENCY_KEY_REUSED' },
      });
      const stored = await shop.allOrders(customer.token);
      expect(stored.map((order) => order.id)).toEqual([first.body.id]);
      expect(await balanceOf(customer.id)).toBe(5_000 - 3_600);
      expect(await stockOf(product.id)).toBe(10 - 3);
    });

    it('apply one deposit and answer all ten alike', async () => {
      const customer = await legacy.registerCustomer();
      await legacy.deposit(customer, 1_000);
      const key = `deposit-${randomUUID()}`;

      const answers = await Promise.all(times(10, () => shop.deposit(customer.token, customer.id, 777, key)));

      const first = answers[0] as Answer;
      expect(first).toEqual({ status: 201, body: { customerId: customer.id, amountCents: 777, balanceCents: 1_777 } });
      for (const answer of answers) expect(answer).toEqual(first);
      expect(await shop.deposit(customer.token, customer.id, 777, key)).toEqual(first);
      expect(await balanceOf(customer.id)).toBe(1_777);
    });

    it('let one of two different bodies win and refuse the other', async () => {
      const product = await legacy.createProduct({ priceCents: 100, stock: 50 });
      const customer = await legacy.registerCustomer();
      await legacy.deposit(customer, 10_000);
      const key = `race-${randomUUID()}`;
      const bodies = [[{ productId: product.id, quantity: 1 }], [{ productId: product.id, quantity: 2 }]];

      const answers = await Promise.all(times(10, (i) => shop.placeOrder(customer.token, bodies[i % 2] ?? [], key)));

      const winners = answers.filter((answer) => answer.status === 201);
      const losers = answers.filter((answer) => answer.status !== 201);
      expect(winners.length).toBe(5);
      for (const winner of winners) expect(winner).toEqual(winners[0]);
      for (const loser of losers)
        expect(loser).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      const order = (winners[0] as Answer<OrderBody>).body;
      expect((await shop.allOrders(customer.token)).map(({ id }) => id)).toEqual([order.id]);
      expect(await balanceOf(customer.id)).toBe(10_000 - order.totalCents);
      expect(await stockOf(product.id)).toBe(50 - (order.items[0]?.quantity ?? NaN));
    });
  });
});
