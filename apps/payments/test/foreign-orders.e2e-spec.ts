import { randomUUID } from 'node:crypto';
import { ChargeWallet, RefundWallet } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

type Reply = { status: string; balanceCents?: number | null; reason?: string };

/**
 * Orders the monolith charged or refunded, then refunded through the order service (or the
 * other way round): payments keeps the charge of a monolith order from its `wallet.debited`,
 * so `payments.refund-wallet` gives the money back, and marks it refunded on the monolith's
 * `wallet.credited` (`refund`), so a refund gives nothing back twice.
 */
describe.each(['sqlite', 'postgres'] as const)('orders charged and refunded by the monolith (%s)', (database) => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start({ database });
  });
  afterAll(() => payments.close());

  /** A customer of the monolith with `balanceCents`, once payments has the wallet. */
  async function customerWith(balanceCents: number): Promise<LegacyCustomer> {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(balanceCents));
    await balanceBecomes(customer, balanceCents);
    return customer;
  }

  const balanceBecomes = (customer: LegacyCustomer, balanceCents: number) =>
    eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === balanceCents,
    );

  /** Sends a command and checks its reply against the contract. */
  async function command(pattern: string, body: Record<string, unknown>): Promise<Reply> {
    const reply = await payments.command<Reply>(pattern, body);
    const contract = pattern === ChargeWallet.pattern ? ChargeWallet : RefundWallet;
    expect(contract.replySchema.safeParse(reply).success).toBe(true);
    return reply;
  }
  const charge = (customerId: string, orderId: string, amountCents: number) =>
    command(ChargeWallet.pattern, { orderId, customerId, amountCents });
  const refund = (customerId: string, orderId: string) => command(RefundWallet.pattern, { orderId, customerId });

  /** What payments published about a customer, `[pattern, reason, amount, balance, orderId]` in its order. */
  const publishedAfterMarker = async (customer: LegacyCustomer) =>
    (await payments.walletEventsBeforeMarker(customer.id)).map((row) => row.slice(0, 5));

  it("keeps a monolith order's charge; a refund gives the money back and publishes it, a repeat changes nothing", async () => {
    const customer = await customerWith(5_000);
    const orderId = randomUUID();

    await payments.publish(customer.debited(2_400, orderId));
    await balanceBecomes(customer, 2_600);
    expect(await payments.charge(orderId)).toEqual({
      customerId: customer.id,
      amountCents: 2_400,
      status: 'CHARGED',
      balanceAfterCents: 2_600,
      refunded: false,
      refundBalanceCents: null,
    });
    // A charge through the saga for the same order answers as if it had charged it, and debits nothing.
    expect(await charge(customer.id, orderId, 2_400)).toEqual({ status: 'CHARGED', balanceCents: 2_600 });

    const reply = await refund(customer.id, orderId);

    expect(reply).toEqual({ status: 'REFUNDED', balanceCents: 5_000 });
    expect(await payments.wallet(customer.id)).toEqual({
      balanceCents: 5_000,
      entries: [
        [5_000, 5_000, 'deposit', null],
        [-2_400, 2_600, 'order_debit', orderId],
        [2_400, 5_000, 'order_refund', orderId],
      ],
    });
    expect(await payments.charge(orderId)).toMatchObject({ refunded: true, refundBalanceCents: 5_000 });

    expect([await refund(customer.id, orderId), await refund(customer.id, orderId)]).toEqual([reply, reply]);
    expect(await publishedAfterMarker(customer)).toEqual([['wallet.credited', 'refund', 2_400, 5_000, orderId]]);
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(5_001);
  });

  it('keeps each of two monolith orders of a customer; refunding one leaves the other charged', async () => {
    const customer = await customerWith(3_000);
    const [first, second] = [randomUUID(), randomUUID()];
    await payments.publish(customer.debited(1_000, first));
    await payments.publish(customer.debited(500, second));
    await balanceBecomes(customer, 1_500);

    expect(await refund(customer.id, second)).toEqual({ status: 'REFUNDED', balanceCents: 2_000 });

    expect(await payments.charge(first)).toMatchObject({
      status: 'CHARGED',
      balanceAfterCents: 2_000,
      refunded: false,
    });
    expect(await payments.charge(second)).toMatchObject({ balanceAfterCents: 1_500, refunded: true });
    expect(await refund(customer.id, first)).toEqual({ status: 'REFUNDED', balanceCents: 3_000 });
    expect(await publishedAfterMarker(customer)).toEqual([
      ['wallet.credited', 'refund', 500, 2_000, second],
      ['wallet.credited', 'refund', 1_000, 3_000, first],
    ]);
  });

  it('marks a monolith order the monolith refunded: a refund answers REFUNDED and credits nothing more', async () => {
    const customer = await customerWith(5_000);
    const orderId = randomUUID();
    await payments.publish(customer.debited(2_400, orderId));
    await payments.publish(customer.refunded(2_400, orderId));
    await eventually(
      () => payments.charge(orderId),
      (found) => found?.refunded === true,
    );
    expect(await payments.charge(orderId)).toMatchObject({ status: 'CHARGED', refundBalanceCents: 5_000 });

    const replies = [await refund(customer.id, orderId), await refund(customer.id, orderId)];

    expect(replies).toEqual([
      { status: 'REFUNDED', balanceCents: 5_000 },
      { status: 'REFUNDED', balanceCents: 5_000 },
    ]);
    expect(await publishedAfterMarker(customer)).toEqual([]);
    expect((await payments.wallet(customer.id))?.entries).toEqual([
      [5_000, 5_000, 'deposit', null],
      [-2_400, 2_600, 'order_debit', orderId],
      [2_400, 5_000, 'order_refund', orderId],
      [1, 5_001, 'deposit', null],
    ]);
  });

  it('marks an order charged here and refunded at the monolith: a refund answers REFUNDED and credits nothing more', async () => {
    const customer = await customerWith(5_000);
    const orderId = randomUUID();
    expect(await charge(customer.id, orderId, 2_400)).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
    // The monolith applied payments' debit, then cancels the order and refunds it itself.
    customer.balanceCents = 2_600;

    await payments.publish(customer.refunded(2_400, orderId));
    await balanceBecomes(customer, 5_000);

    expect(await payments.charge(orderId)).toMatchObject({ refunded: true, refundBalanceCents: 5_000 });
    expect(await refund(customer.id, orderId)).toEqual({ status: 'REFUNDED', balanceCents: 5_000 });
    expect(await refund(customer.id, orderId)).toEqual({ status: 'REFUNDED', balanceCents: 5_000 });
    // A repeat of the charge still answers its first reply and debits nothing.
    expect(await charge(customer.id, orderId, 2_400)).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
    expect(await publishedAfterMarker(customer)).toEqual([['wallet.debited', 'order', 2_400, 2_600, orderId]]);
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(5_001);
  });
});
