import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { AWAIT_HEADER } from '@app/contracts';
import { RedisStreamsRemoteError } from '@app/redis-streams';
import { eventually } from '../../../tools/testing/test-streams';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness } from './support/payments-harness';

/**
 * A charge that names, in its `x-ficus-await` request header, the wallet changes another side
 * made (the monolith's debits during a canary of orders): payments charges only once it applied
 * them, so it never charges money the monolith already spent.
 */
describe.each(['sqlite', 'postgres'] as const)('a charge that must follow other sides’ writes (%s)', (database) => {
  let payments: PaymentsHarness;

  beforeAll(async () => {
    payments = await PaymentsHarness.start({ database, env: { CONSISTENCY_WAIT_MS: '1000' } });
  });
  afterAll(() => payments.close());

  const charge = (customerId: string, amountCents: number, awaited: string) =>
    firstValueFrom(
      payments.orders.send(
        'payments.charge-wallet',
        {
          commandId: randomUUID(),
          schemaVersion: 1,
          issuedAt: new Date().toISOString(),
          origin: 'orders',
          orderId: randomUUID(),
          customerId,
          amountCents,
        },
        { timeoutMs: 10_000, headers: { [AWAIT_HEADER]: awaited } },
      ),
    );

  it('is refused with CONSISTENCY_NOT_APPLIED while the monolith’s debit is not applied, and charges what is left once it is', async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(1_000));
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === 1_000,
    );
    // The monolith spent 700 of it; its event has not reached payments.
    const debit = customer.debited(700);
    const awaited = `legacy-monolith:customer:${customer.id}:${customer.sequence}`;

    const refused = await charge(customer.id, 500, awaited).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RedisStreamsRemoteError);
    expect((refused as RedisStreamsRemoteError).code).toBe('CONSISTENCY_NOT_APPLIED');
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(1_000);

    // Asked again while the debit arrives: it waits for it, then refuses what is no longer there.
    const asked = charge(customer.id, 500, awaited);
    await payments.publish(debit);
    expect(await asked).toEqual({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
    expect(await charge(customer.id, 300, awaited)).toEqual({ status: 'CHARGED', balanceCents: 0 });
    expect((await payments.wallet(customer.id))?.balanceCents).toBe(0);
  });

  it('charges at once when what it names is applied, or is payments’ own', async () => {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    await payments.publish(customer.deposited(400));
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === 400,
    );
    const applied = `legacy-monolith:customer:${customer.id}:${customer.sequence}`;
    expect(await charge(customer.id, 100, applied)).toEqual({ status: 'CHARGED', balanceCents: 300 });
    const own = `payments:customer:${customer.id}:99`;
    expect(await charge(customer.id, 100, own)).toEqual({ status: 'CHARGED', balanceCents: 200 });
  });
});
