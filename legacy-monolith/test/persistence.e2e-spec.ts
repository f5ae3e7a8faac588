import { randomUUID } from 'node:crypto';
import { TEST_ADMIN } from './support/legacy-harness';
import { LegacyInstance, RestartableLegacy } from './support/restartable-legacy';
import { Answer, OrderBody, ProductBody, ShopClient, tokenClaims } from './support/shop-client';

const PASSWORD = 'persistent password';

async function tokenFor(shop: ShopClient, email: string, password: string): Promise<string> {
  const answer = await shop.issueToken(email, password);
  expect(answer.status).toBe(200);
  return answer.body.accessToken;
}

/** Everything a client can read back about one customer and the catalog. */
async function snapshot(shop: ShopClient, token: string, customerId: string, products: readonly ProductBody[]) {
  const orders = await shop.allOrders(token);
  return {
    customer: await shop.getCustomer(token, customerId),
    products: await Promise.all(products.map((product) => shop.getProduct(product.id))),
    orders,
    ordersById: await Promise.all(orders.map((order) => shop.getOrder(token, order.id))),
  };
}

describe.each(['sqlite', 'postgres'] as const)('persistence on %s', (database) => {
  let store: RestartableLegacy;

  beforeAll(async () => {
    store = await RestartableLegacy.create(database);
  });
  afterAll(() => store?.destroy());

  it('keeps customers, balances, products, orders and idempotency keys across restarts', async () => {
    const suffix = randomUUID().slice(0, 8);
    const email = `Paula.${suffix}@Example.com`;
    const orderKey = `order-${suffix}`;
    const depositKey = `deposit-${suffix}`;

    // First run: write through the API.
    let app: LegacyInstance = await store.start();
    let shop = app.shop;
    const adminToken = await tokenFor(shop, TEST_ADMIN.email, TEST_ADMIN.password);
    const registered = await shop.register({ name: 'Persistent Paula', email, password: PASSWORD });
    expect(registered.status).toBe(201);
    const customerId = registered.body.id;
    const customerToken = await tokenFor(shop, email, PASSWORD);

    const firstDeposit = await shop.deposit(customerToken, customerId, 10_000, depositKey);
    expect(firstDeposit).toEqual({ status: 201, body: { customerId, amountCents: 10_000, balanceCents: 10_000 } });
    expect((await shop.deposit(adminToken, customerId, 2_500)).status).toBe(201);

    const created = await Promise.all([
      shop.createProduct(adminToken, {
        sku: `APPLE-${suffix.toUpperCase()}`,
        name: 'Apple',
        priceCents: 120,
        stock: 40,
      }),
      shop.createProduct(adminToken, { sku: `PEAR-${suffix.toUpperCase()}`, name: 'Pear', priceCents: 345 }),
    ]);
    expect(created.map((answer) => answer.status)).toEqual([201, 201]);
    const [apple, pear] = created.map((answer) => answer.body) as [ProductBody, ProductBody];
    expect((await shop.adjustStock(adminToken, pear.id, 12)).body.stock).toBe(12);

    const firstOrder = await shop.placeOrder(
      customerToken,
      [
        { productId: pear.id, quantity: 2 },
        { productId: apple.id, quantity: 3 },
      ],
      orderKey,
    );
    expect(firstOrder).toMatchObject({ status: 201, body: { status: 'APPROVED', totalCents: 2 * 345 + 3 * 120 } });
    const toCancel = await shop.placeOrder(customerToken, [{ productId: apple.id, quantity: 1 }]);
    expect(toCancel.body.status).toBe('APPROVED');
    expect((await shop.cancelOrder(customerToken, toCancel.body.id)).body.status).toBe('CANCELLED');
    const rejected = await shop.placeOrder(customerToken, [{ productId: pear.id, quantity: 50 }]);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_STOCK' });

    const before = await snapshot(shop, customerToken, customerId, [apple, pear]);
    expect(before.customer.body.balanceCents).toBe(12_500 - firstOrder.body.totalCents);
    expect(before.products.map((product) => product.body.stock)).toEqual([40 - 3, 12 - 2]);
    expect(before.orders.map((order) => order.id).sort()).toEqual(
      [firstOrder.body.id, toCancel.body.id, rejected.body.id].sort(),
    );
    await store.stop(app);

    // Second run on the same database: migrations run again on the existing schema.
    app = await store.start();
    shop = app.shop;

    const adminAgain = await tokenFor(shop, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(tokenClaims(adminAgain)).toMatchObject({ sub: tokenClaims(adminToken).sub, role: 'admin' });
    // Tokens issued before the restart still work, and the password still matches.
    expect(await snapshot(shop, customerToken, customerId, [apple, pear])).toEqual(before);
    const customerAgain = await tokenFor(shop, email.toUpperCase(), PASSWORD);
    expect(tokenClaims(customerAgain).sub).toBe(customerId);
    expect(
      (await shop.register({ name: 'Impostor', email: email.toLowerCase(), password: PASSWORD })).body,
    ).toMatchObject({ code: 'CUSTOMER_EMAIL_TAKEN' });
    const listed = await shop.allOrders(adminAgain, customerId);
    expect(listed).toEqual(before.orders);
    expect(before.ordersById.find((answer) => answer.body.id === firstOrder.body.id)?.body).toEqual(firstOrder.body);

    // Idempotency keys survive: a replay returns the first response and changes nothing.
    expect(
      await shop.placeOrder(
        customerAgain,
        [
          { productId: pear.id, quantity: 2 },
          { productId: apple.id, quantity: 3 },
        ],
        orderKey,
      ),
    ).toEqual(firstOrder);
    expect(await shop.deposit(customerAgain, customerId, 10_000, depositKey)).toEqual(firstDeposit);
    expect(await shop.deposit(customerAgain, customerId, 9_999, depositKey)).toMatchObject({
      status: 422,
      body: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    expect(await snapshot(shop, customerToken, customerId, [apple, pear])).toEqual(before);

    // The restarted app writes as before, and a third start sees those writes too.
    const afterRestart: Answer<OrderBody> = await shop.placeOrder(customerAgain, [
      { productId: apple.id, quantity: 1 },
    ]);
    expect(afterRestart.body).toMatchObject({ status: 'APPROVED', totalCents: 120 });
    const balanceAfter = before.customer.body.balanceCents - 120;
    await store.stop(app);

    app = await store.start({ ADMIN_PASSWORD: 'a changed admin password' });
    shop = app.shop;
    // A changed ADMIN_PASSWORD updates the same account: the id stays.
    expect((await shop.issueToken(TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(401);
    const adminThird = await tokenFor(shop, TEST_ADMIN.email, 'a changed admin password');
    expect(tokenClaims(adminThird).sub).toBe(tokenClaims(adminToken).sub);
    expect((await shop.getCustomer(adminThird, customerId)).body.balanceCents).toBe(balanceAfter);
    expect((await shop.getProduct(apple.id)).body.stock).toBe(40 - 3 - 1);
    expect(await shop.getOrder(customerToken, afterRestart.body.id)).toEqual({ status: 200, body: afterRestart.body });
    expect((await shop.allOrders(adminThird, customerId)).length).toBe(4);
    await store.stop(app);
  });
});
