import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AWAIT_HEADER } from '@app/contracts';
import { TEST_REDIS_URL } from '../../../tools/testing/test-redis';
import { eventually, withRedis } from '../../../tools/testing/test-streams';
import { CommandTap } from './support/command-tap';
import { type DatabaseKind, OrdersStack } from './support/orders-stack';

/** A scenario restarts processes and waits out a lease (6 s) and a command's deadline (5 s): room beyond the default. */
const SCENARIO_MS = 120_000;

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');
const SYNC_VERIFY = join(REPO_ROOT, 'dist', 'tools', 'sync', 'src', 'main.js');
/** Longer than a command's wait (5 s), short enough that a restarted orders takes its instances back soon. */
const LEASE_MS = 6_000;
/** How long a saga may take to end once everything runs again (a lease to run out, a command to time out, a retry). */
const SETTLE_WITHIN_MS = 40_000;
/** How long a side may take to apply the events of a saga's end. */
const CONVERGE_WITHIN_MS = 30_000;
const FINAL_ORDER_STATUSES = ['APPROVED', 'REJECTED', 'CANCELLED'];
const FINAL_SAGA_STATUSES = ['COMPLETED', 'FAILED'];

interface Shopper {
  readonly id: string;
  readonly token: string;
  readonly positions: string[];
  readonly depositedCents: number;
}

interface Product {
  readonly id: string;
  readonly positions: string[];
  readonly initialStock: number;
}

/** An order the test placed, and what must have happened to it once everything settled. */
interface Placed {
  readonly id: string;
  readonly customer: Shopper;
  readonly product: Product;
  readonly quantity: number;
  readonly totalCents: number;
  /** The final status the user must see. */
  status: 'APPROVED' | 'REJECTED' | 'CANCELLED';
  /** Whether inventory took its stock (and, when not APPROVED, put it back). */
  readonly reserved: boolean;
  /** Whether payments debited the wallet (and, when CANCELLED, refunded it). */
  readonly charged: boolean;
}

/** A request in flight while its server may die: its answer, or how it failed (the connection cut). */
type Outcome = { status: number; body: Record<string, unknown> } | { error: string };

/**
 * Orders, inventory and payments SIGKILLed (or frozen) at the worst moments of the placement and
 * cancellation sagas, and restarted on their databases and Redis prefix: every saga ends, every order
 * ends APPROVED, REJECTED or CANCELLED as the user would have been answered without the crash, each
 * stock and money change is applied once (every ledger has one line for it), every side agrees
 * (`sync:verify`, the monolith's and the services' own tables), and nothing is dead-lettered.
 *
 * The worst moments are reached without sleeps: a service is frozen (`SIGSTOP`) so that a command
 * sent to it waits, the saga's row in orders' database shows where it stands, the test's own reader
 * of the request streams shows what was sent, and the services' databases show what was applied.
 */
describe.each(['sqlite', 'postgres'] as const)('orders, inventory and payments killed mid-saga (%s)', (kind) => {
  let stack: OrdersStack;
  let tap: CommandTap;
  const customers: Shopper[] = [];
  const products: Product[] = [];
  const placed: Placed[] = [];

  beforeAll(async () => {
    stack = await startStack(kind);
    tap = await CommandTap.start(stack.prefix, ['inventory', 'payments']);
  });

  afterAll(async () => {
    await tap?.close();
    await stack?.close();
  });

  afterEach(() => {
    // A failed test leaves nothing frozen for the next.
    for (const side of ['orders', 'inventory', 'payments'] as const) {
      try {
        stack.resume(side);
      } catch {
        // not a process, or gone
      }
    }
  });

  /**
   * A customer registered at the monolith, with a deposit at payments, once orders has read what
   * they wrote: a placement awaits them (as the facade makes it), so payments must have published
   * its deposit before a test freezes it.
   */
  async function customer(balanceCents: number): Promise<Shopper> {
    const made = { ...(await stack.customer(balanceCents)), depositedCents: balanceCents };
    const read = await stack
      .http('orders')
      .get('/api/orders')
      .set('authorization', `Bearer ${made.token}`)
      .set(AWAIT_HEADER, made.positions.join(','));
    expect({ status: read.status, applied: read.headers['x-ficus-applied'] }).toEqual({ status: 200, applied: 'true' });
    customers.push(made);
    return made;
  }

  async function product(priceCents: number, stock: number): Promise<Product> {
    const made = { ...(await stack.product(priceCents, stock)), initialStock: stock };
    products.push(made);
    return made;
  }

  /** `POST /api/orders` sent without waiting for its answer (the server may die meanwhile). */
  function placing(
    shopper: Shopper,
    item: Product,
    quantity: number,
    key: string,
  ): { outcome: Promise<Outcome>; again: () => Promise<Outcome> } {
    const send = () =>
      stack
        .place(shopper.token, [{ productId: item.id, quantity }], [...item.positions, ...shopper.positions], key)
        .then(
          (answer): Outcome => ({ status: answer.status, body: answer.body as Record<string, unknown> }),
          (error: Error): Outcome => ({ error: error.message }),
        );
    return { outcome: send(), again: send };
  }

  /** The id of the customer's only order, from orders' list (stored PENDING with its saga, in one transaction). */
  async function onlyOrderOf(shopper: Shopper): Promise<string> {
    const list = await eventually(
      async () =>
        (await stack.http('orders').get('/api/orders').set('authorization', `Bearer ${shopper.token}`)).body as {
          items?: { id: string }[];
        },
      (body) => (body.items?.length ?? 0) === 1,
    );
    return list.items![0]!.id;
  }

  /** What the saga instance's row says, read from orders' database (while orders runs or after it died). */
  async function sagaRow(id: string): Promise<{ saga: string; status: string; notes: string[] } | undefined> {
    const [row] = await stack
      .database('orders')
      .query('SELECT saga, status, history FROM saga_instances WHERE id = ?', [id]);
    if (!row) return undefined;
    const history = JSON.parse(String(row.history)) as { note: string }[];
    return { saga: String(row.saga), status: String(row.status), notes: history.map((line) => line.note) };
  }

  /** Waits until the instance's history has a line matching `note`. */
  async function untilNote(id: string, note: string | RegExp): Promise<string[]> {
    const matches = (line: string) => (typeof note === 'string' ? line === note : note.test(line));
    const row = await eventually(
      () => sagaRow(id),
      (found) => found?.notes.some(matches) === true,
      SETTLE_WITHIN_MS,
    );
    return row!.notes;
  }

  /** Waits until orders has sent `pattern` for the order `count` times (the test's reader saw it in the stream). */
  async function untilSent(pattern: string, orderId: string, count = 1): Promise<void> {
    await eventually(
      async () => tap.sent(pattern, orderId).length,
      (sent) => sent >= count,
      SETTLE_WITHIN_MS,
    );
  }

  /** Orders SIGKILLed, then started again on its database: its instances are taken back once their lease ran out. */
  async function killAndRestartOrders(between: () => void = () => undefined): Promise<void> {
    await stack.kill('orders');
    between();
    await stack.restart('orders');
  }

  /**
   * The client sends its placement again with its `Idempotency-Key` (its first request was cut by
   * the crash): the same order, no second one; then its final status, once its saga ended.
   */
  async function settledPlacement(
    shopper: Shopper,
    orderId: string,
    again: () => Promise<Outcome>,
  ): Promise<Record<string, unknown>> {
    const repeat = await again();
    expect(repeat).toMatchObject({ status: 201, body: { id: orderId } });
    return settledOrder(shopper, orderId);
  }

  /** The order as orders serves it, once it and every saga of it ended. */
  async function settledOrder(shopper: Shopper, orderId: string): Promise<Record<string, unknown>> {
    const order = await eventually(
      async () =>
        (await stack.http('orders').get(`/api/orders/${orderId}`).set('authorization', `Bearer ${shopper.token}`))
          .body as Record<string, unknown>,
      (body) => FINAL_ORDER_STATUSES.includes(String(body.status)),
      SETTLE_WITHIN_MS,
    );
    await eventually(
      () => stack.database('orders').query('SELECT status FROM saga_instances WHERE data LIKE ?', [`%${orderId}%`]),
      (rows) => rows.length > 0 && rows.every((row) => FINAL_SAGA_STATUSES.includes(String(row.status))),
      SETTLE_WITHIN_MS,
    );
    const list = await stack.http('orders').get('/api/orders').set('authorization', `Bearer ${shopper.token}`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: orderId }] });
    return order;
  }

  /** Every try of `pattern` for the order carried one command id, and there were at least `atLeast`. */
  function expectSentWithOneId(pattern: string, orderId: string, atLeast: number): void {
    const sent = tap.sent(pattern, orderId);
    expect(sent.length).toBeGreaterThanOrEqual(atLeast);
    expect(new Set(sent.map((command) => command.commandId)).size).toBe(1);
  }

  /**
   * Each stock and money change of the order applied once, where it was made (inventory, payments)
   * and at the monolith (from their events): one line for it in each ledger.
   */
  async function expectAppliedOnce(order: Placed): Promise<void> {
    const stock: [string, number][] = [];
    if (order.reserved) stock.push(['order', -order.quantity]);
    if (order.reserved && order.status !== 'APPROVED') stock.push(['cancellation', order.quantity]);
    const money: [string, number][] = [];
    if (order.charged) money.push(['order_debit', -order.totalCents]);
    if (order.charged && order.status === 'CANCELLED') money.push(['order_refund', order.totalCents]);
    const lines = (rows: Record<string, unknown>[], amount: string) =>
      rows.map((row) => [String(row.kind), Number(row[amount])]).sort();
    for (const side of ['inventory', 'legacy'] as const) {
      await eventually(
        async () =>
          lines(
            await stack.database(side).query('SELECT kind, delta FROM stock_movements WHERE order_id = ?', [order.id]),
            'delta',
          ),
        (found) => JSON.stringify(found) === JSON.stringify([...stock].sort()),
        CONVERGE_WITHIN_MS,
      );
    }
    for (const side of ['payments', 'legacy'] as const) {
      await eventually(
        async () =>
          lines(
            await stack
              .database(side)
              .query('SELECT kind, amount_cents FROM wallet_entries WHERE order_id = ?', [order.id]),
            'amount_cents',
          ),
        (found) => JSON.stringify(found) === JSON.stringify([...money].sort()),
        CONVERGE_WITHIN_MS,
      );
    }
  }

  /** What the monolith shows the customer, once it applied the saga's events: the balance, the stock, the order. */
  async function expectMonolithShows(order: Placed, view: Record<string, unknown>): Promise<void> {
    const atLegacy = await eventually(
      async () =>
        (
          await stack
            .http('legacy')
            .get(`/api/orders/${order.id}`)
            .set('authorization', `Bearer ${order.customer.token}`)
        ).body as Record<string, unknown>,
      (body) => body.status === view.status,
      CONVERGE_WITHIN_MS,
    );
    expect(atLegacy).toEqual(view);
    const kept = order.status === 'APPROVED';
    const balance = order.customer.depositedCents - (kept ? order.totalCents : 0);
    expect(await stack.balanceAtLegacy(order.customer.id, order.customer.token, (b) => b === balance)).toBe(balance);
    const stock = order.product.initialStock - (kept ? order.quantity : 0);
    expect((await stack.productAt('legacy', order.product.id, (p) => p.stock === stock)).stock).toBe(stock);
  }

  it(
    'orders killed once the reservation is recorded, the charge on its way to a frozen payments: approved, charged once',
    async () => {
      const item = await product(250, 10);
      const shopper = await customer(1_000);
      stack.pause('payments');
      const placement = placing(shopper, item, 2, randomUUID());
      const id = await onlyOrderOf(shopper);
      await untilNote(id, 'reserve-stock: done; next charge-wallet');
      await untilSent('payments.charge-wallet', id);

      await killAndRestartOrders(() => stack.resume('payments'));
      expectCutOrPending(await placement.outcome, id);

      const view = await settledPlacement(shopper, id, placement.again);
      expect(view).toMatchObject({ status: 'APPROVED', totalCents: 500, rejectionReason: null });
      // Taken back after the crash, the charge was sent again with its command id: applied once.
      expectSentWithOneId('payments.charge-wallet', id, 2);
      expect(tap.sent('inventory.reserve-stock', id)).toHaveLength(1);
      const order = record({ id, customer: shopper, product: item, quantity: 2, totalCents: 500, status: 'APPROVED' });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it(
    'orders killed after inventory reserved the stock and before orders read the reply: reserved once',
    async () => {
      const item = await product(150, 6);
      const shopper = await customer(1_000);
      stack.pause('inventory');
      const placement = placing(shopper, item, 3, randomUUID());
      const id = await onlyOrderOf(shopper);
      await untilSent('inventory.reserve-stock', id);
      // Orders frozen, inventory applies the reservation; its reply waits for a reader that will be dead.
      stack.pause('orders');
      stack.resume('inventory');
      await eventually(
        () => stack.database('inventory').query('SELECT status FROM reservations WHERE order_id = ?', [id]),
        (rows) => rows[0]?.status === 'RESERVED',
        SETTLE_WITHIN_MS,
      );
      expect((await sagaRow(id))?.notes).toEqual(['start: reserve-stock']);

      await killAndRestartOrders();
      expectCutOrPending(await placement.outcome, id);
      const view = await settledPlacement(shopper, id, placement.again);
      expect(view).toMatchObject({ status: 'APPROVED', totalCents: 450 });
      expectSentWithOneId('inventory.reserve-stock', id, 2);
      const order = record({ id, customer: shopper, product: item, quantity: 3, totalCents: 450, status: 'APPROVED' });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it(
    'orders killed after payments charged the wallet and before orders read the reply: charged once',
    async () => {
      const item = await product(250, 10);
      const shopper = await customer(600);
      stack.pause('payments');
      const placement = placing(shopper, item, 2, randomUUID());
      const id = await onlyOrderOf(shopper);
      await untilNote(id, 'reserve-stock: done; next charge-wallet');
      await untilSent('payments.charge-wallet', id);
      stack.pause('orders');
      stack.resume('payments');
      await eventually(
        () => stack.database('payments').query('SELECT status FROM wallet_charges WHERE order_id = ?', [id]),
        (rows) => rows[0]?.status === 'CHARGED',
        SETTLE_WITHIN_MS,
      );

      await killAndRestartOrders();
      expectCutOrPending(await placement.outcome, id);
      const view = await settledPlacement(shopper, id, placement.again);
      // Charged once: 600 − 500 leaves 100, not an overdraft refused on the second try.
      expect(view).toMatchObject({ status: 'APPROVED', totalCents: 500, rejectionReason: null });
      expectSentWithOneId('payments.charge-wallet', id, 2);
      const order = record({ id, customer: shopper, product: item, quantity: 2, totalCents: 500, status: 'APPROVED' });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it(
    'orders killed during a compensation (the stock on its way back to a frozen inventory): rejected, stock back once',
    async () => {
      const item = await product(300, 5);
      const shopper = await customer(299);
      stack.pause('payments');
      const placement = placing(shopper, item, 1, randomUUID());
      const id = await onlyOrderOf(shopper);
      await untilNote(id, 'reserve-stock: done; next charge-wallet');
      await untilSent('payments.charge-wallet', id);
      // Inventory frozen before payments refuses: the release orders sends then waits for it.
      stack.pause('inventory');
      stack.resume('payments');
      await untilNote(id, 'charge-wallet: refused (INSUFFICIENT_FUNDS); compensate reserve-stock');
      await untilSent('inventory.release-stock', id);

      await killAndRestartOrders(() => stack.resume('inventory'));
      expectCutOrPending(await placement.outcome, id);
      const view = await settledPlacement(shopper, id, placement.again);
      expect(view).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS', totalCents: 300 });
      expect((await sagaRow(id))?.notes.at(-1)).toBe('reserve-stock: compensated; failed');
      expectSentWithOneId('inventory.release-stock', id, 2);
      const order = record({
        id,
        customer: shopper,
        product: item,
        quantity: 1,
        totalCents: 300,
        status: 'REJECTED',
        charged: false,
      });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it(
    'orders killed during a cancellation (the refund on its way to a frozen payments): cancelled, refunded once',
    async () => {
      const item = await product(120, 10);
      const shopper = await customer(1_000);
      const first = await stack.place(
        shopper.token,
        [{ productId: item.id, quantity: 3 }],
        [...item.positions, ...shopper.positions],
      );
      expect(first.status).toBe(201);
      const id = String(first.body.id);
      expect((await settledOrder(shopper, id)).status).toBe('APPROVED');
      stack.pause('payments');
      const cancelling = stack
        .http('orders')
        .post(`/api/orders/${id}/cancel`)
        .set('authorization', `Bearer ${shopper.token}`)
        .then(
          (answer) => answer.status,
          (error: Error) => error.message,
        );
      const cancellation = await eventually(
        () =>
          stack
            .database('orders')
            .query("SELECT id FROM saga_instances WHERE saga = 'cancel-order' AND data LIKE ?", [`%${id}%`]),
        (rows) => rows.length === 1,
      );
      const cancelId = String(cancellation[0]!.id);
      await untilNote(cancelId, 'release-stock: done; next refund-wallet');
      await untilSent('payments.refund-wallet', id);

      await killAndRestartOrders(() => stack.resume('payments'));
      // The cancellation's request was cut by the crash (or answered 200 before it).
      const cut = await cancelling;
      if (typeof cut === 'number') expect(cut).toBe(200);
      const view = await settledOrder(shopper, id);
      expect(view).toMatchObject({ id, status: 'CANCELLED', totalCents: 360 });
      expect(await sagaRow(cancelId)).toMatchObject({ status: 'COMPLETED' });
      expectSentWithOneId('payments.refund-wallet', id, 2);
      expect(tap.sent('inventory.release-stock', id)).toHaveLength(1);
      // A second cancellation is refused, as the monolith refuses it.
      const again = await stack
        .http('orders')
        .post(`/api/orders/${id}/cancel`)
        .set('authorization', `Bearer ${shopper.token}`);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'ORDER_NOT_CANCELLABLE' });
      const order = record({ id, customer: shopper, product: item, quantity: 3, totalCents: 360, status: 'CANCELLED' });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it.each([
    ['payments', 'payments.charge-wallet', 'charge-wallet'],
    ['inventory', 'inventory.reserve-stock', 'reserve-stock'],
  ] as const)(
    '%s killed with a command waiting for it, and restarted: the try after the timeout, with the same command id, applied once',
    async (side, pattern, step) => {
      const item = await product(200, 8);
      const shopper = await customer(1_000);
      stack.pause(side);
      const placement = placing(shopper, item, 2, randomUUID());
      const id = await onlyOrderOf(shopper);
      await untilSent(pattern, id);
      await stack.kill(side);
      // No answer within the command's wait: orders tries again (the try goes to the stream meanwhile).
      await untilNote(id, new RegExp(`^${step}: .*; try 2 of 30$`));
      await stack.restart(side);

      // Orders lived: past its wait (3 s) it answered the order as it then was.
      expect(await placement.outcome).toMatchObject({ status: 201, body: { id, status: 'PENDING' } });
      const view = await settledPlacement(shopper, id, placement.again);
      expect(view).toMatchObject({ status: 'APPROVED', totalCents: 400 });
      expectSentWithOneId(pattern, id, 2);
      const order = record({ id, customer: shopper, product: item, quantity: 2, totalCents: 400, status: 'APPROVED' });
      await expectAppliedOnce(order);
      await expectMonolithShows(order, view);
    },
    SCENARIO_MS,
  );

  it(
    'afterwards: every saga ended, every side shows the same balances, stock and orders, sync:verify finds them equal, no dead letter',
    async () => {
      expect(placed.length).toBeGreaterThan(0);
      const sagas = await stack.database('orders').query('SELECT id, saga, status FROM saga_instances');
      expect(sagas.filter((row) => !FINAL_SAGA_STATUSES.includes(String(row.status)))).toEqual([]);

      // The public API, at orders and at the monolith: each customer's orders, balance, each product's stock.
      for (const shopper of customers) {
        const mine = placed.filter((order) => order.customer === shopper);
        const atOrders = await stack.http('orders').get('/api/orders').set('authorization', `Bearer ${shopper.token}`);
        expect(atOrders.body.items.map((order: { id: string; status: string }) => [order.id, order.status])).toEqual(
          mine.map((order) => [order.id, order.status]),
        );
        const atLegacy = await stack.http('legacy').get('/api/orders').set('authorization', `Bearer ${shopper.token}`);
        expect(atLegacy.body).toEqual(atOrders.body);
        const balance = await stack.balanceAtLegacy(shopper.id, shopper.token, () => true);
        expect(balance).toBe(expectedBalance(shopper));
        expect(balance).toBeGreaterThanOrEqual(0);
      }
      for (const item of products) {
        expect((await stack.productAt('legacy', item.id, () => true)).stock).toBe(expectedStock(item));
      }

      // Each side's own tables: payments' wallets and inventory's stock as the monolith's.
      const wallets = await stack.database('payments').query('SELECT customer_id, balance_cents FROM wallets');
      const stockAt = async (side: 'inventory' | 'legacy', sql: string) =>
        new Map((await stack.database(side).query(sql)).map((row) => [String(row.id), Number(row.stock)]));
      const inventoryStock = await stockAt('inventory', 'SELECT product_id AS id, stock FROM product_stock');
      const legacyStock = await stockAt('legacy', 'SELECT id, stock FROM products');
      for (const shopper of customers) {
        expect(Number(wallets.find((row) => row.customer_id === shopper.id)?.balance_cents)).toBe(
          expectedBalance(shopper),
        );
      }
      expect(Object.fromEntries(inventoryStock)).toEqual(Object.fromEntries(legacyStock));
      for (const item of products) expect(inventoryStock.get(item.id)).toBe(expectedStock(item));

      // sync:verify compares the wallets (monolith, payments) and the orders (monolith, orders); the
      // stock's third side, the catalog, does not run here: its stock is compared above, directly.
      const verified = await syncVerify(stack);
      expect(verified).toMatchObject({ equal: true, differences: [] });
      expect(verified.kinds).toMatchObject({
        wallets: { compared: expect.any(Number) },
        orders: { compared: expect.any(Number) },
      });
      expect(verified.kinds.orders?.compared).toBeGreaterThanOrEqual(placed.length);

      const deadLetters = await withRedis(async (redis) => {
        const found: Record<string, number> = {};
        for await (const keys of redis.scanIterator({ MATCH: `${stack.prefix}dlq:*`, COUNT: 1000 })) {
          for (const key of keys) found[key] = await redis.xLen(key);
        }
        return found;
      }, TEST_REDIS_URL);
      expect(Object.values(deadLetters).filter((length) => length > 0)).toEqual([]);
    },
    SCENARIO_MS,
  );

  function record(order: Omit<Placed, 'reserved' | 'charged'> & { reserved?: boolean; charged?: boolean }): Placed {
    const made = { reserved: true, charged: true, ...order };
    placed.push(made);
    return made;
  }

  function expectedBalance(shopper: Shopper): number {
    const spent = placed
      .filter((order) => order.customer === shopper && order.status === 'APPROVED')
      .reduce((sum, order) => sum + order.totalCents, 0);
    return shopper.depositedCents - spent;
  }

  function expectedStock(item: Product): number {
    const taken = placed
      .filter((order) => order.product === item && order.status === 'APPROVED')
      .reduce((sum, order) => sum + order.quantity, 0);
    return item.initialStock - taken;
  }
});

/** The answer to a request orders was killed in the middle of: none (the connection cut), or the order PENDING. */
function expectCutOrPending(outcome: Outcome, id: string): void {
  if ('error' in outcome) return;
  expect(outcome).toMatchObject({ status: 201, body: { id, status: 'PENDING' } });
}

function startStack(kind: DatabaseKind): Promise<OrdersStack> {
  return OrdersStack.start(
    kind,
    // The placements here outlast the wait on purpose (a side killed under them): the default 3 s.
    { SAGAS_LEASE_MS: String(LEASE_MS), SAGAS_POLL_INTERVAL_MS: '100', ORDERS_SAGA_WAIT_MS: '3000' },
    { ordersAsProcess: true },
  );
}

interface SyncReport {
  readonly equal: boolean;
  readonly differences: unknown[];
  readonly kinds: Record<string, { compared: number; differences: number } | undefined>;
}

/** `sync:verify --kind wallets,orders` over the stack's databases, waiting up to 30 s for them to agree. */
async function syncVerify(stack: OrdersStack): Promise<SyncReport> {
  const env = {
    ...process.env,
    LEGACY_DATABASE_URL: stack.databaseUrl('legacy'),
    PAYMENTS_DATABASE_URL: stack.databaseUrl('payments'),
    INVENTORY_DATABASE_URL: stack.databaseUrl('inventory'),
    ORDERS_DATABASE_URL: stack.databaseUrl('orders'),
  };
  const args = [SYNC_VERIFY, '--kind', 'wallets,orders', '--wait', '30', '--json'];
  const lastLine = (stdout: string) => stdout.trim().split('\n').at(-1) ?? '';
  try {
    const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, env });
    return JSON.parse(lastLine(stdout)) as SyncReport;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`sync:verify found differences or failed:\n${failed.stdout}\n${failed.stderr}`, { cause: error });
  }
}
