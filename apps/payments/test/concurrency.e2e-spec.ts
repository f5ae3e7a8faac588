import { randomUUID } from 'node:crypto';
import { ChargeWallet, RefundWallet } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

type Reply = { status: string; balanceCents?: number | null; reason?: string };

describe.each(['sqlite', 'postgres'] as const)('charges under concurrency (%s)', (database) => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    // As many handlers at once as requests sent, so they really race for the wallet. A monolith
    // debit that would overdraw waits (retried) until deposits cover it: on a loaded machine that
    // can outlast the default 20 deliveries of 200 ms at most, which would dead-letter it and leave
    // the ledger short. What is tested here is the ledger, not the dead-letter policy.
    payments = await PaymentsHarness.start({
      database,
      env: { EVENTS_CONCURRENCY: '64', EVENTS_MAX_DELIVERIES: '1000' },
    });
  });
  afterAll(() => payments.close());

  async function customerWith(balanceCents: number): Promise<LegacyCustomer> {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(balanceCents));
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === balanceCents,
    );
    return customer;
  }

  const charge = (customerId: string, orderId: string, amountCents: number) =>
    payments.command<Reply>(ChargeWallet.pattern, { orderId, customerId, amountCents }, 30_000);
  const refund = (customerId: string, orderId: string) =>
    payments.command<Reply>(RefundWallet.pattern, { orderId, customerId }, 30_000);

  /** Every `wallet.debited` payments published for the customer, once `count` are on the stream. */
  const debitsPublished = (customerId: string, count: number) =>
    eventually(
      () => payments.publishedEvents('wallet.debited', customerId),
      (events) => events.length >= count,
      20_000,
    );

  it('50 charges of different orders against a wallet that pays 14 of them: exactly 14 CHARGED, never below zero', async () => {
    const customer = await customerWith(10_000);
    const orderIds = Array.from({ length: 50 }, () => randomUUID());

    const replies = await Promise.all(orderIds.map((orderId) => charge(customer.id, orderId, 700)));

    const charged = replies.filter((reply) => reply.status === 'CHARGED');
    const rejected = replies.filter((reply) => reply.status === 'REJECTED');
    expect(charged).toHaveLength(14);
    expect(rejected).toEqual(Array.from({ length: 36 }, () => ({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' })));
    // Each charge saw the balance the one before it left.
    expect(charged.map((reply) => reply.balanceCents).sort((a, b) => Number(b) - Number(a))).toEqual(
      Array.from({ length: 14 }, (_, index) => 10_000 - 700 * (index + 1)),
    );

    const wallet = await payments.wallet(customer.id);
    expect(wallet?.balanceCents).toBe(200);
    const entries = wallet?.entries ?? [];
    expect(entries).toHaveLength(15);
    expect(entries.reduce((sum, [amount]) => sum + amount, 0)).toBe(200);
    expect(entries.every(([, balanceAfter]) => balanceAfter >= 0)).toBe(true);
    expect(
      entries
        .filter(([, , kind]) => kind === 'order_debit')
        .map(([, , , orderId]) => orderId)
        .sort(),
    ).toEqual(orderIds.filter((_, index) => replies[index]?.status === 'CHARGED').sort());
    expect((await payments.charges(customer.id)).length).toBe(50);

    const debits = await debitsPublished(customer.id, 14);
    expect(debits).toHaveLength(14);
    expect(debits.map((event) => event.data.sequence).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 14 }, (_, index) => index + 1),
    );
    // In sequence order, each event's balance is the one before it minus its amount.
    const inOrder = [...debits].sort((a, b) => Number(a.data.sequence) - Number(b.data.sequence));
    expect(inOrder.map((event) => event.data.balanceCents)).toEqual(
      Array.from({ length: 14 }, (_, index) => 10_000 - 700 * (index + 1)),
    );
  });

  it('20 simultaneous repeats of one order charge once and all get the same reply', async () => {
    const customer = await customerWith(3_000);
    const orderId = randomUUID();

    const replies = await Promise.all(Array.from({ length: 20 }, () => charge(customer.id, orderId, 1_250)));

    expect(replies).toEqual(Array.from({ length: 20 }, () => ({ status: 'CHARGED', balanceCents: 1_750 })));
    expect(await payments.wallet(customer.id)).toEqual({
      balanceCents: 1_750,
      entries: [
        [3_000, 3_000, 'deposit', null],
        [-1_250, 1_750, 'order_debit', orderId],
      ],
    });
    expect(await payments.charges(customer.id)).toEqual([{ orderId, status: 'CHARGED', refunded: false }]);
    // A later charge: once its event is on the stream, a second debit of the order would be too.
    await charge(customer.id, randomUUID(), 1);
    const debits = await debitsPublished(customer.id, 2);
    expect(debits.map((event) => [event.data.orderId, event.data.sequence])).toEqual([
      [orderId, 1],
      [expect.any(String), 2],
    ]);
  });

  it('20 simultaneous refunds of one order credit once and all answer REFUNDED with the same balance', async () => {
    const customer = await customerWith(3_000);
    const orderId = randomUUID();
    await charge(customer.id, orderId, 1_000);

    const replies = await Promise.all(Array.from({ length: 20 }, () => refund(customer.id, orderId)));

    expect(replies).toEqual(Array.from({ length: 20 }, () => ({ status: 'REFUNDED', balanceCents: 3_000 })));
    expect((await payments.wallet(customer.id))?.entries).toEqual([
      [3_000, 3_000, 'deposit', null],
      [-1_000, 2_000, 'order_debit', orderId],
      [1_000, 3_000, 'order_refund', orderId],
    ]);
  });

  it('charges racing deposits and the monolith debits never overdraw, and the ledger adds up', async () => {
    const customer = await customerWith(2_000);
    const monolithDebits = [customer.debited(300), customer.debited(300)];

    const [replies, deposits] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, () => charge(customer.id, randomUUID(), 250))),
      Promise.all(Array.from({ length: 10 }, () => payments.deposit(customer.id, { amountCents: 100 }))),
      Promise.all(monolithDebits.map((event) => payments.publish(event))),
    ]);

    expect(deposits.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 201));
    const chargedCount = replies.filter((reply) => reply.status === 'CHARGED').length;
    // A monolith debit that arrived after the charges had spent the money waits (redelivered) until
    // the wallet holds it: it is never applied into the red, and never lost. A deposit of both
    // debits' worth lets any such one apply.
    const topUp = 600;
    expect((await payments.deposit(customer.id, { amountCents: topUp })).status).toBe(201);
    const wallet = await eventually(
      () => payments.wallet(customer.id),
      (found) => (found?.entries.filter(([, , kind]) => kind === 'order_debit').length ?? 0) === chargedCount + 2,
    );
    const expected = 2_000 + 10 * 100 + topUp - 2 * 300 - chargedCount * 250;
    expect(wallet?.balanceCents).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(0);
    // Payments charged while the money lasted: what was left before the top-up is less than a charge and both debits.
    expect(expected - topUp).toBeLessThan(250 + 600);
    expect(wallet?.entries.reduce((sum, [amount]) => sum + amount, 0)).toBe(expected);
    expect(wallet?.entries.every(([, balanceAfter]) => balanceAfter >= 0)).toBe(true);
  });
});
