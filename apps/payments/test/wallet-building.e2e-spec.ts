import { randomUUID } from 'node:crypto';
import { eventually, readDeadLetters } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness, type StoredWallet } from './support/payments-harness';

const MAX_DELIVERIES = 5;

describe('payments builds its wallets from the monolith events', () => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start({ env: { EVENTS_MAX_DELIVERIES: String(MAX_DELIVERIES) } });
  });
  afterAll(() => payments.close());

  const walletBecomes = (customerId: string, done: (wallet: StoredWallet | null) => boolean) =>
    eventually(() => payments.wallet(customerId), done);
  const balanceBecomes = async (customerId: string, cents: number): Promise<StoredWallet> =>
    (await walletBecomes(customerId, (wallet) => wallet?.balanceCents === cents)) as StoredWallet;

  /** How many messages payments' inbox has settled with `outcome` (`applied`, `duplicate`, `stale`). */
  const inboxCount = (outcome: string) => payments.metric('inbox_messages_total', { consumer: 'payments', outcome });

  it('opens a wallet with balance 0 on customer.registered', async () => {
    const customer = new LegacyCustomer();

    await payments.publish(customer.registered());

    const wallet = await walletBecomes(customer.id, (found) => found !== null);
    expect(wallet).toEqual({ balanceCents: 0, entries: [] });
  });

  it('applies deposits and debits of the monolith, so a deposit through payments answers the right balance', async () => {
    const customer = new LegacyCustomer();
    const orderId = randomUUID();
    for (const event of [customer.registered(), customer.deposited(5_000), customer.debited(1_200, orderId)]) {
      await payments.publish(event);
    }
    await balanceBecomes(customer.id, 3_800);

    const response = await payments.deposit(customer.id, { amountCents: 200 });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ customerId: customer.id, amountCents: 200, balanceCents: 4_000 });
    expect((await payments.wallet(customer.id))?.entries).toEqual([
      [5_000, 5_000, 'deposit', null],
      [-1_200, 3_800, 'order_debit', orderId],
      [200, 4_000, 'deposit', null],
    ]);
  });

  it('applies refunds of the monolith as credits of their order', async () => {
    const customer = new LegacyCustomer();
    const orderId = randomUUID();
    for (const event of [
      customer.registered(),
      customer.deposited(1_000),
      customer.debited(700, orderId),
      customer.refunded(700, orderId),
    ]) {
      await payments.publish(event);
    }

    const wallet = await balanceBecomes(customer.id, 1_000);
    expect(wallet.entries).toEqual([
      [1_000, 1_000, 'deposit', null],
      [-700, 300, 'order_debit', orderId],
      [700, 1_000, 'order_refund', orderId],
    ]);
  });

  it('applies a duplicated entry and a re-published event once', async () => {
    const customer = new LegacyCustomer();
    const registered = customer.registered();
    const deposit = customer.deposited(500);

    await payments.publish(registered);
    await payments.publish(registered);
    await payments.publish(deposit);
    await payments.publish(deposit);
    await payments.publish(customer.deposited(1));

    const wallet = await balanceBecomes(customer.id, 501);
    expect(wallet.entries).toEqual([
      [500, 500, 'deposit', null],
      [1, 501, 'deposit', null],
    ]);
  });

  it("applies one origin's events of a customer in their order, whatever order they arrive in", async () => {
    const customer = new LegacyCustomer();
    const orderId = randomUUID();
    // The debit before the credit it needs: applied first, the balance would go below zero.
    const events = [
      customer.registered(),
      customer.deposited(1_000),
      customer.debited(600, orderId),
      customer.deposited(50),
    ];

    for (const event of [...events].reverse()) await payments.publish(event);

    const wallet = await balanceBecomes(customer.id, 450);
    expect(wallet.entries).toEqual([
      [1_000, 1_000, 'deposit', null],
      [-600, 400, 'order_debit', orderId],
      [50, 450, 'deposit', null],
    ]);
    expect(await readDeadLetters(payments.redisPrefix, 'payments')).toEqual([]);
  });

  it('builds a wallet it never saw from customer.snapshot, and continues with the events after it', async () => {
    const customer = new LegacyCustomer();
    const history = [customer.registered(), customer.deposited(3_000), customer.debited(400)];
    const snapshot = customer.snapshot();
    const later = customer.deposited(100);

    await payments.publish(snapshot);
    await balanceBecomes(customer.id, 2_600);
    const duplicatesBefore = await inboxCount('duplicate');
    // The history the snapshot covers arrives late (as after a replay): none of it applies again.
    for (const event of [later, ...history]) await payments.publish(event);

    await balanceBecomes(customer.id, 2_700);
    await eventually(
      () => inboxCount('duplicate'),
      (count) => count === duplicatesBefore + history.length,
    );
    expect(await payments.wallet(customer.id)).toEqual({
      balanceCents: 2_700,
      entries: [
        [2_600, 2_600, 'opening', null],
        [100, 2_700, 'deposit', null],
      ],
    });
  });

  it('ignores a snapshot older than what the wallet reflects', async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    const stale = customer.snapshot({ 'legacy-monolith': 1 }, 0);
    await payments.publish(customer.deposited(800));
    await balanceBecomes(customer.id, 800);
    const staleBefore = await inboxCount('stale');

    await payments.publish(stale);

    await eventually(
      () => inboxCount('stale'),
      (count) => count === staleBefore + 1,
    );
    expect(await payments.wallet(customer.id)).toEqual({ balanceCents: 800, entries: [[800, 800, 'deposit', null]] });
  });

  it("ignores a snapshot that does not reflect payments' own deposit, and applies one that does", async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(1_000));
    await balanceBecomes(customer.id, 1_000);
    await payments.deposit(customer.id, { amountCents: 250 }).expect(201);
    const staleBefore = await inboxCount('stale');

    // The monolith has not applied payments' wallet.credited yet: its snapshot lacks the 250.
    await payments.publish(customer.snapshot({ 'legacy-monolith': 2 }, 1_000));
    await eventually(
      () => inboxCount('stale'),
      (count) => count === staleBefore + 1,
    );
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(1_250);

    // Once it has, its snapshot (here with a correction of the monolith's own) applies.
    const current = customer.snapshot({ 'legacy-monolith': 2, payments: 1 }, 1_300);
    await payments.publish({ ...current, data: { ...current.data, occurredAt: new Date().toISOString() } });
    const wallet = await balanceBecomes(customer.id, 1_300);
    expect(wallet.entries).toEqual([
      [1_000, 1_000, 'deposit', null],
      [250, 1_250, 'deposit', null],
      [50, 1_300, 'snapshot', null],
    ]);
  });

  it("skips payments' own events coming back from the stream", async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await walletBecomes(customer.id, (wallet) => wallet !== null);
    await payments.deposit(customer.id, { amountCents: 300 }).expect(201);
    const [own] = await eventually(
      () => payments.publishedEvents('wallet.credited', customer.id),
      (events) => events.length === 1,
    );

    // The same event again (as after a relay crash), and a copy under a new id.
    await payments.publish({ pattern: 'wallet.credited', data: own!.data });
    await payments.publish({ pattern: 'wallet.credited', data: { ...own!.data, id: randomUUID() } });
    const marker = new LegacyCustomer();
    await payments.publish(marker.registered());
    await payments.publish(marker.deposited(10));
    await balanceBecomes(marker.id, 10);

    expect(await payments.wallet(customer.id)).toEqual({ balanceCents: 300, entries: [[300, 300, 'deposit', null]] });
  });

  it('redelivers a wallet event for a customer it does not know, and dead-letters it in the end', async () => {
    const stranger = new LegacyCustomer();
    const credit = stranger.deposited(500);

    await payments.publish(credit);

    const [letter] = await eventually(
      () => readDeadLetters(payments.redisPrefix, 'payments'),
      (letters) => letters.some((entry) => entry.id === credit.data.id),
      20_000,
    );
    expect(letter).toEqual({
      id: credit.data.id,
      pattern: 'wallet.credited',
      reason: { code: 'WALLET_EVENT_NOT_APPLICABLE', message: expect.stringContaining(stranger.id) },
      deliveries: MAX_DELIVERIES,
    });
    expect(await payments.wallet(stranger.id)).toBeNull();
  });

  it('redelivers a debit that would take the balance below zero, and never applies it', async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(100));
    await balanceBecomes(customer.id, 100);
    const overdraft = customer.debited(500, randomUUID(), 0);

    await payments.publish(overdraft);

    const letters = await eventually(
      () => readDeadLetters(payments.redisPrefix, 'payments'),
      (found) => found.some((entry) => entry.id === overdraft.data.id),
      20_000,
    );
    expect(letters.find((entry) => entry.id === overdraft.data.id)).toEqual({
      id: overdraft.data.id,
      pattern: 'wallet.debited',
      reason: { code: 'WALLET_EVENT_NOT_APPLICABLE', message: expect.stringContaining('below zero') },
      deliveries: MAX_DELIVERIES,
    });
    expect(await payments.wallet(customer.id)).toEqual({ balanceCents: 100, entries: [[100, 100, 'deposit', null]] });
  });

  it('dead-letters at once an event that breaks its contract', async () => {
    const customer = new LegacyCustomer();
    const broken = customer.deposited(100);
    const data: Record<string, unknown> = { ...broken.data, amountCents: 0 };

    await payments.publish({ pattern: 'wallet.credited', data });

    const letters = await eventually(
      () => readDeadLetters(payments.redisPrefix, 'payments'),
      (found) => found.some((entry) => entry.id === data.id),
    );
    expect(letters.find((entry) => entry.id === data.id)).toMatchObject({
      pattern: 'wallet.credited',
      reason: { code: 'STREAMS_INVALID_MESSAGE', message: expect.stringContaining('amountCents') },
      deliveries: 1,
    });
  });
});
