import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, type IntegrationEventType } from '@app/integration-events';
import { TestConsumer } from '../../../tools/testing/event-consumer';
import { deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually, publishEvent, readDeadLetters, readEvents } from '../../../tools/testing/test-streams';

type Data = Record<string, unknown>;

const credit = (customerId: string, sequence: number, origin = 'payments', amountCents = 100): Data => ({
  id: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  origin,
  aggregateId: customerId,
  sequence,
  customerId,
  amountCents,
  balanceCents: amountCents * sequence,
  reason: 'deposit',
  orderId: null,
});

const snapshot = (customerId: string, sequences: Record<string, number>, balanceCents: number): Data => ({
  id: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  origin: 'legacy-monolith',
  aggregateId: customerId,
  sequences,
  customerId,
  name: 'Snap',
  email: 'snap@example.com',
  balanceCents,
  createdAt: new Date().toISOString(),
});

describe.each(['sqlite', 'postgres'] as const)('IntegrationEventsModule (%s)', (database) => {
  const prefix = uniqueTestPrefix('bridge');
  let consumer: TestConsumer;
  beforeAll(async () => {
    consumer = await TestConsumer.start({
      origin: 'bridge-test',
      patterns: ['wallet.credited', 'customer.snapshot'],
      redisPrefix: prefix,
      database,
    });
  });
  afterAll(async () => {
    await consumer.close();
    await deleteTestKeys(prefix);
  });

  const appliedIds = async () => (await consumer.applied()).map((row) => row.id);
  const appliedWith = (id: string) => eventually(appliedIds, (ids) => ids.includes(id));

  it('applies an event of another service once, then publishes it on the local EventBus and to sagas', async () => {
    const event = credit(randomUUID(), 1);
    await publishEvent(prefix, 'wallet.credited', event);
    await publishEvent(prefix, 'wallet.credited', event);
    await publishEvent(prefix, 'wallet.credited', { ...event, origin: 'payments' });
    const marker = credit(randomUUID(), 1);
    await publishEvent(prefix, 'wallet.credited', marker);
    await appliedWith(marker.id as string);
    expect((await appliedIds()).filter((id) => id === event.id)).toEqual([event.id]);
    await eventually(
      async () => consumer.sagaSeen,
      (seen) => seen.includes(marker.id as string),
    );
    expect(consumer.published.filter((id) => id === event.id)).toEqual([event.id]);
    expect(consumer.sagaSeen.filter((id) => id === event.id)).toEqual([event.id]);
  });

  it('skips its own events', async () => {
    const own = credit(randomUUID(), 1, 'bridge-test');
    const marker = credit(randomUUID(), 1);
    await publishEvent(prefix, 'wallet.credited', own);
    await publishEvent(prefix, 'wallet.credited', marker);
    await appliedWith(marker.id as string);
    expect(await appliedIds()).not.toContain(own.id);
    expect(consumer.published).not.toContain(own.id);
  });

  it("applies one origin's events of an aggregate in sequence order, and each origin on its own", async () => {
    const customerId = randomUUID();
    const events = [1, 2, 3, 4].map((sequence) => credit(customerId, sequence));
    const other = credit(customerId, 1, 'legacy-monolith');
    for (const event of [events[3]!, events[1]!, other, events[2]!, events[0]!]) {
      await publishEvent(prefix, 'wallet.credited', event);
    }
    const rows = await eventually(
      async () => (await consumer.applied()).filter((row) => row.aggregateId === customerId),
      (found) => found.length === 5,
    );
    expect(rows.filter((row) => row.origin === 'payments').map((row) => row.sequence)).toEqual([1, 2, 3, 4]);
    expect(rows.filter((row) => row.origin === 'legacy-monolith').map((row) => row.sequence)).toEqual([1]);
  });

  it('applies a snapshot to a fresh aggregate, skips a stale one, and continues from the snapshot', async () => {
    const customerId = randomUUID();
    const first = snapshot(customerId, { 'legacy-monolith': 5, payments: 2 }, 700);
    await publishEvent(prefix, 'customer.snapshot', first);
    await appliedWith(first.id as string);
    // Events the snapshot already reflects are duplicates; the next one applies.
    const reflected = credit(customerId, 2);
    const next = credit(customerId, 3);
    await publishEvent(prefix, 'wallet.credited', reflected);
    await publishEvent(prefix, 'wallet.credited', next);
    await appliedWith(next.id as string);
    expect(await appliedIds()).not.toContain(reflected.id);
    // Older than what the consumer has for payments (3): skipped.
    const stale = snapshot(customerId, { 'legacy-monolith': 6, payments: 2 }, 800);
    const marker = credit(randomUUID(), 1);
    await publishEvent(prefix, 'customer.snapshot', stale);
    await publishEvent(prefix, 'wallet.credited', marker);
    await appliedWith(marker.id as string);
    expect(await appliedIds()).not.toContain(stale.id);
  });

  it('dead-letters data that breaks the contract, naming the field', async () => {
    const bad: Data = { ...credit(randomUUID(), 1), reason: 'gift' };
    await publishEvent(prefix, 'wallet.credited', bad);
    const letters = await eventually(
      () => readDeadLetters(prefix, 'bridge-test'),
      (found) => found.some((letter) => letter.id === bad.id),
    );
    const letter = letters.find((found) => found.id === bad.id)!;
    expect(letter.reason.code).toBe('STREAMS_INVALID_MESSAGE');
    expect(letter.reason.message).toContain('reason');
    expect(await appliedIds()).not.toContain(bad.id);
  });

  it('records an event in the transaction: published after commit, nowhere after a rollback', async () => {
    const events = consumer.app.get(IntegrationEvents);
    const uow = consumer.app.get(UnitOfWork);
    const eventClass = consumer.classes.get('wallet.credited') as IntegrationEventType;
    const body = { amountCents: 250, balanceCents: 250, reason: 'deposit', orderId: null };

    const rolledBack = randomUUID();
    await expect(
      uow.transaction(async (manager) => {
        await events.record(manager, eventClass, { customerId: rolledBack, ...body } as never);
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');

    const committed = randomUUID();
    const recorded = await uow.transaction((manager) =>
      events.record(manager, eventClass, { customerId: committed, ...body } as never),
    );
    const data = (recorded as { data: Data }).data;
    expect(data).toMatchObject({ origin: 'bridge-test', aggregateId: committed, sequence: 1, schemaVersion: 1 });
    const onStream = await eventually(
      () => readEvents<Data>(prefix, 'wallet.credited'),
      (entries) => entries.some((entry) => entry.id === data.id),
    );
    expect(onStream.filter((entry) => entry.data.customerId === rolledBack)).toEqual([]);
    expect(consumer.published).toContain(data.id);
    const rows = (await consumer.app.get(DataSource).query('SELECT aggregate_id FROM outbox_events')) as {
      aggregate_id: string;
    }[];
    expect(rows.map((row) => row.aggregate_id)).toEqual([committed]);
  });

  it('refuses to record an event that breaks its contract, and the transaction rolls back', async () => {
    const events = consumer.app.get(IntegrationEvents);
    const uow = consumer.app.get(UnitOfWork);
    const eventClass = consumer.classes.get('wallet.credited') as IntegrationEventType;
    await expect(
      uow.transaction((manager) =>
        events.record(manager, eventClass, {
          customerId: randomUUID(),
          amountCents: 0,
          balanceCents: 0,
          reason: 'deposit',
          orderId: null,
        } as never),
      ),
    ).rejects.toMatchObject({ code: 'INTEGRATION_EVENT_INVALID', message: expect.stringContaining('amountCents') });
  });
});

describe('a failing handler', () => {
  const prefix = uniqueTestPrefix('bridge-failing');
  let consumer: TestConsumer;
  beforeAll(async () => {
    consumer = await TestConsumer.start({
      origin: 'bridge-failing',
      patterns: ['wallet.credited'],
      redisPrefix: prefix,
      failuresPerEvent: 2,
    });
  });
  afterAll(async () => {
    await consumer.close();
    await deleteTestKeys(prefix);
  });

  it('leaves the message to be delivered again, applies it once in the end, and the saga keeps going', async () => {
    const first = credit(randomUUID(), 1);
    const second = credit(randomUUID(), 1);
    await publishEvent(prefix, 'wallet.credited', first);
    await publishEvent(prefix, 'wallet.credited', second);
    await eventually(
      async () => (await consumer.applied()).map((row) => row.id),
      (ids) => ids.includes(first.id as string) && ids.includes(second.id as string),
    );
    expect(consumer.failures.filter((id) => id === first.id)).toHaveLength(2);
    expect((await consumer.applied()).filter((row) => row.id === first.id)).toHaveLength(1);
    await eventually(
      async () => consumer.sagaSeen,
      (seen) => seen.includes(second.id as string),
    );
    expect(consumer.sagaSeen.filter((id) => id === first.id)).toEqual([first.id]);
    expect(await readDeadLetters(prefix, 'bridge-failing')).toEqual([]);
  });
});
