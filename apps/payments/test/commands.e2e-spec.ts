import { randomUUID } from 'node:crypto';
import { ChargeWallet, RefundWallet } from '@app/contracts';
import { RedisStreamsRemoteError } from '@app/redis-streams';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

const CHARGE = ChargeWallet.pattern;
const REFUND = RefundWallet.pattern;

describe('the saga commands payments answers (payments.charge-wallet, payments.refund-wallet)', () => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start();
  });
  afterAll(() => payments.close());

  async function customerWith(balanceCents: number): Promise<LegacyCustomer> {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    if (balanceCents > 0) await payments.publish(customer.deposited(balanceCents));
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === balanceCents,
    );
    return customer;
  }

  /** Sends a command and checks its reply against the contract. */
  async function command(pattern: string, body: Record<string, unknown>): Promise<unknown> {
    const reply = await payments.command(pattern, body);
    const contract = pattern === CHARGE ? ChargeWallet : RefundWallet;
    expect(contract.replySchema.safeParse(reply).success).toBe(true);
    return reply;
  }
  const charge = (customerId: string, orderId: string, amountCents: number) =>
    command(CHARGE, { orderId, customerId, amountCents });
  const refund = (customerId: string, orderId: string) => command(REFUND, { orderId, customerId });

  /** The error a request was answered with. */
  async function failure(reply: Promise<unknown>): Promise<{ code: string; message: unknown }> {
    const error: unknown = await reply.then(
      (value) => {
        throw new Error(`expected an error, got ${JSON.stringify(value)}`);
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RedisStreamsRemoteError);
    const { code, message } = (error as RedisStreamsRemoteError).body;
    return { code, message };
  }

  /** What payments published about a customer: `[pattern, reason, amount, balance, orderId, sequence]`. */
  const publishedAfterMarker = (customer: LegacyCustomer) => payments.walletEventsBeforeMarker(customer.id);

  describe('payments.charge-wallet', () => {
    it('debits the wallet: CHARGED with the balance after it, and wallet.debited (order) is published', async () => {
      const customer = await customerWith(5_000);
      const orderId = randomUUID();

      const reply = await charge(customer.id, orderId, 2_400);

      expect(reply).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
      expect(await payments.wallet(customer.id)).toEqual({
        balanceCents: 2_600,
        entries: [
          [5_000, 5_000, 'deposit', null],
          [-2_400, 2_600, 'order_debit', orderId],
        ],
      });
      const [debited] = await eventually(
        () => payments.publishedEvents('wallet.debited', customer.id),
        (events) => events.length === 1,
      );
      expect(debited?.data).toEqual({
        id: debited?.id,
        schemaVersion: 1,
        occurredAt: expect.any(String),
        origin: 'payments',
        aggregateId: customer.id,
        sequence: 1,
        customerId: customer.id,
        amountCents: 2_400,
        balanceCents: 2_600,
        reason: 'order',
        orderId,
      });
    });

    it('answers a repeat of the same order with the first reply, whatever the wallet holds now, and debits once', async () => {
      const customer = await customerWith(5_000);
      const orderId = randomUUID();
      const first = await charge(customer.id, orderId, 2_400);
      await payments.deposit(customer.id, { amountCents: 1_000 }).expect(201);

      const repeats = [await charge(customer.id, orderId, 2_400), await charge(customer.id, orderId, 2_400)];

      expect(repeats).toEqual([first, first]);
      expect(await payments.charges(customer.id)).toEqual([{ orderId, status: 'CHARGED', refunded: false }]);
      expect(await publishedAfterMarker(customer)).toEqual([
        ['wallet.debited', 'order', 2_400, 2_600, orderId, 1],
        ['wallet.credited', 'deposit', 1_000, 3_600, null, 2],
      ]);
      expect((await payments.wallet(customer.id))?.balanceCents).toBe(3_601);
    });

    it('answers REJECTED INSUFFICIENT_FUNDS and debits nothing; a repeat answers the same, even once the wallet could pay', async () => {
      const customer = await customerWith(1_000);
      const orderId = randomUUID();

      const reply = await charge(customer.id, orderId, 1_001);
      await payments.deposit(customer.id, { amountCents: 5_000 }).expect(201);
      const repeat = await charge(customer.id, orderId, 1_001);

      expect(reply).toEqual({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
      expect(repeat).toEqual(reply);
      expect(await payments.charges(customer.id)).toEqual([{ orderId, status: 'REJECTED', refunded: false }]);
      expect(await publishedAfterMarker(customer)).toEqual([['wallet.credited', 'deposit', 5_000, 6_000, null, 1]]);
    });

    it('charges the whole balance', async () => {
      const customer = await customerWith(1_000);

      expect(await charge(customer.id, randomUUID(), 1_000)).toEqual({ status: 'CHARGED', balanceCents: 0 });
    });

    it('answers REJECTED CUSTOMER_NOT_FOUND for a customer payments does not know, and stores nothing', async () => {
      const customer = new LegacyCustomer();
      const orderId = randomUUID();

      const reply = await charge(customer.id, orderId, 100);

      expect(reply).toEqual({ status: 'REJECTED', reason: 'CUSTOMER_NOT_FOUND' });
      expect(await payments.charges(customer.id)).toEqual([]);
      // Documented: the answer is not kept, since the customer may be known a moment later.
      await payments.publish(customer.registered());
      await payments.publish(customer.deposited(500));
      await eventually(
        () => payments.wallet(customer.id),
        (wallet) => wallet?.balanceCents === 500,
      );
      expect(await charge(customer.id, orderId, 100)).toEqual({ status: 'CHARGED', balanceCents: 400 });
    });

    it.each([
      ['another amount', (customerId: string) => ({ customerId, amountCents: 2_401 })],
      ['another customer', () => ({ customerId: randomUUID(), amountCents: 2_400 })],
    ])('answers the error CHARGE_CONFLICT to the same order id with %s, and changes nothing', async (_case, change) => {
      const customer = await customerWith(5_000);
      const orderId = randomUUID();
      await charge(customer.id, orderId, 2_400);

      const conflict = await failure(payments.command(CHARGE, { orderId, ...change(customer.id) }));

      expect(conflict).toEqual({ code: 'CHARGE_CONFLICT', message: expect.stringContaining(orderId) });
      expect((await payments.wallet(customer.id))?.balanceCents).toBe(2_600);
      expect(await payments.charges(customer.id)).toEqual([{ orderId, status: 'CHARGED', refunded: false }]);
    });

    it('accepts ids in any case, as the contract does', async () => {
      const customer = await customerWith(500);
      const orderId = randomUUID();

      const reply = await charge(customer.id.toUpperCase(), orderId.toUpperCase(), 100);

      expect(reply).toEqual({ status: 'CHARGED', balanceCents: 400 });
      expect(await charge(customer.id, orderId, 100)).toEqual(reply);
    });
  });

  describe('payments.refund-wallet', () => {
    it('credits back what the order was charged: REFUNDED with the balance, and wallet.credited (refund) is published', async () => {
      const customer = await customerWith(5_000);
      const orderId = randomUUID();
      await charge(customer.id, orderId, 2_400);

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
      expect(await payments.charges(customer.id)).toEqual([{ orderId, status: 'CHARGED', refunded: true }]);
      expect(await publishedAfterMarker(customer)).toEqual([
        ['wallet.debited', 'order', 2_400, 2_600, orderId, 1],
        ['wallet.credited', 'refund', 2_400, 5_000, orderId, 2],
      ]);
    });

    it('answers a repeat of a completed refund with the same REFUNDED reply (documented), and credits once', async () => {
      const customer = await customerWith(5_000);
      const orderId = randomUUID();
      await charge(customer.id, orderId, 2_400);
      const first = await refund(customer.id, orderId);
      await payments.deposit(customer.id, { amountCents: 100 }).expect(201);

      const repeats = [await refund(customer.id, orderId), await refund(customer.id, orderId)];

      expect(repeats).toEqual([first, first]);
      expect(first).toEqual({ status: 'REFUNDED', balanceCents: 5_000 });
      expect(await publishedAfterMarker(customer)).toEqual([
        ['wallet.debited', 'order', 2_400, 2_600, orderId, 1],
        ['wallet.credited', 'refund', 2_400, 5_000, orderId, 2],
        ['wallet.credited', 'deposit', 100, 5_100, null, 3],
      ]);
      // Once refunded, the charge answers as before: a repeat of the charge does not debit again.
      expect(await charge(customer.id, orderId, 2_400)).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
      expect((await payments.wallet(customer.id))?.balanceCents).toBe(5_101);
    });

    it('answers NOTHING_TO_REFUND with the current balance for an order never charged', async () => {
      const customer = await customerWith(700);

      expect(await refund(customer.id, randomUUID())).toEqual({ status: 'NOTHING_TO_REFUND', balanceCents: 700 });
      expect((await payments.wallet(customer.id))?.entries).toEqual([[700, 700, 'deposit', null]]);
    });

    it('answers NOTHING_TO_REFUND for an order whose charge was rejected', async () => {
      const customer = await customerWith(700);
      const orderId = randomUUID();
      await charge(customer.id, orderId, 701);

      expect(await refund(customer.id, orderId)).toEqual({ status: 'NOTHING_TO_REFUND', balanceCents: 700 });
    });

    it('answers NOTHING_TO_REFUND with balance null for a customer payments does not know', async () => {
      expect(await refund(randomUUID(), randomUUID())).toEqual({ status: 'NOTHING_TO_REFUND', balanceCents: null });
    });

    it("answers the error CHARGE_CONFLICT to a refund naming another customer than the charge's, and credits nothing", async () => {
      const [customer, other] = [await customerWith(1_000), await customerWith(0)];
      const orderId = randomUUID();
      await charge(customer.id, orderId, 400);

      const conflict = await failure(payments.command(REFUND, { orderId, customerId: other.id }));

      expect(conflict.code).toBe('CHARGE_CONFLICT');
      expect((await payments.wallet(customer.id))?.balanceCents).toBe(600);
      expect((await payments.wallet(other.id))?.balanceCents).toBe(0);
    });
  });

  describe('requests that break their contract: the error VALIDATION_FAILED, naming the field, and nothing changes', () => {
    const header = () => ({
      commandId: randomUUID(),
      schemaVersion: 1,
      issuedAt: new Date().toISOString(),
      origin: 'orders',
    });

    it.each([
      ['amountCents 0', { amountCents: 0 }, 'amountCents'],
      ['a fractional amountCents', { amountCents: 1.5 }, 'amountCents'],
      ['a customerId that is not a UUID', { customerId: 'ada' }, 'customerId'],
      ['no orderId', { orderId: undefined }, 'orderId'],
      ['an unknown field', { note: 'x' }, 'note'],
      ['schemaVersion 2', { schemaVersion: 2 }, 'schemaVersion'],
    ])('a charge with %s', async (_case, change, field) => {
      const customer = await customerWith(1_000);
      const data = { ...header(), orderId: randomUUID(), customerId: customer.id, amountCents: 100, ...change };

      const refused = await failure(payments.send(CHARGE, JSON.parse(JSON.stringify(data))));

      expect(refused.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(refused.message)).toContain(field);
      expect(await payments.wallet(customer.id)).toEqual({
        balanceCents: 1_000,
        entries: [[1_000, 1_000, 'deposit', null]],
      });
    });

    it('lists every problem as `path: message`', async () => {
      const data = { ...header(), orderId: 'order-1', customerId: randomUUID(), amountCents: 0 };

      const refused = await failure(payments.send(CHARGE, data));

      expect(refused).toEqual({
        code: 'VALIDATION_FAILED',
        message: ['orderId: must be a UUID', 'amountCents: Too small: expected number to be >=1'],
      });
    });

    it.each([
      ['an orderId that is not a UUID', { orderId: 'order-1' }, 'orderId'],
      ['an amountCents (refunds take none)', { amountCents: 100 }, 'amountCents'],
      ['no header', { commandId: undefined, issuedAt: undefined }, 'commandId'],
    ])('a refund with %s', async (_case, change, field) => {
      const customer = await customerWith(1_000);
      const orderId = randomUUID();
      await charge(customer.id, orderId, 100);
      const data = { ...header(), orderId, customerId: customer.id, ...change };

      const refused = await failure(payments.send(REFUND, JSON.parse(JSON.stringify(data))));

      expect(refused.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(refused.message)).toContain(field);
      expect((await payments.wallet(customer.id))?.balanceCents).toBe(900);
    });
  });
});
