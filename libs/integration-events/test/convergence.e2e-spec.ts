import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, type IntegrationEventType, RESEND_REQUESTED } from '@app/integration-events';
import { TestConsumer } from '../../../tools/testing/event-consumer';
import { deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { eventually, publishEvent, readDeadLetters, readEvents, withRedis } from '../../../tools/testing/test-streams';

type Data = Record<string, unknown>;

const credit = (customerId: string, sequence: number, origin: string): Data => ({
  id: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  origin,
  aggregateId: customerId,
  sequence,
  customerId,
  amountCents: 100,
  balanceCents: 100 * sequence,
  reason: 'deposit',
  orderId: null,
});

const parkedOf = async (consumer: TestConsumer, aggregateId: string) =>
  (await consumer.app
    .get(DataSource)
    .query(`SELECT sequence FROM inbox_parked WHERE aggregate_id = '${aggregateId}' ORDER BY sequence`)) as {
    sequence: number | string;
  }[];

const appliedSequences = async (consumer: TestConsumer, aggregateId: string) =>
  (await consumer.applied()).filter((row) => row.aggregateId === aggregateId).map((row) => row.sequence);

describe.each(['sqlite', 'postgres'] as const)('events that converge (%s)', (database) => {
  describe('an event that comes before its predecessor', () => {
    const prefix = uniqueTestPrefix('converge-park');
    let consumer: TestConsumer;
    beforeAll(async () => {
      consumer = await TestConsumer.start({
        origin: 'park-test',
        patterns: ['wallet.credited'],
        redisPrefix: prefix,
        database,
        readiness: true,
        // One delivery: an early event that spent deliveries would be dead-lettered at once.
        env: {
          EVENTS_MAX_DELIVERIES: '1',
          EVENTS_PARKED_CHECK_MS: '50',
          EVENTS_GAP_REPAIR_MS: '600000',
          EVENTS_GAP_READY_LIMIT_MS: '300',
        },
      });
    });
    afterAll(async () => {
      await consumer.close();
      await deleteTestKeys(prefix);
    });

    it('is parked, not dead-lettered, and applied in order once the predecessor comes', async () => {
      const customerId = randomUUID();
      const [first, second, third] = [1, 2, 3].map((sequence) => credit(customerId, sequence, 'somewhere'));
      await publishEvent(prefix, 'wallet.credited', third!);
      await publishEvent(prefix, 'wallet.credited', second!);
      const parked = await eventually(
        () => parkedOf(consumer, customerId),
        (rows) => rows.length === 2,
      );
      expect(parked.map((row) => Number(row.sequence))).toEqual([2, 3]);
      expect(await appliedSequences(consumer, customerId)).toEqual([]);

      await publishEvent(prefix, 'wallet.credited', first!);
      await eventually(
        () => appliedSequences(consumer, customerId),
        (sequences) => sequences.length === 3,
      );
      expect(await appliedSequences(consumer, customerId)).toEqual([1, 2, 3]);
      expect(await parkedOf(consumer, customerId)).toEqual([]);
      expect(await readDeadLetters(prefix, 'park-test')).toEqual([]);
      // Each applied event reached the local EventBus once, in order.
      expect(consumer.published.filter((id) => [first, second, third].some((e) => e!.id === id))).toEqual(
        [first, second, third].map((event) => event!.id),
      );
      const metrics = await request(consumer.app.getHttpServer()).get('/metrics');
      expect(metrics.text).toMatch(/^inbox_messages_total\{[^}]*outcome="parked"[^}]*\} 2$/m);
    });

    it('says so in readiness while the gap is older than the limit, and is ready again once it closes', async () => {
      const customerId = randomUUID();
      const [first, second] = [1, 2].map((sequence) => credit(customerId, sequence, 'somewhere'));
      await publishEvent(prefix, 'wallet.credited', second!);
      const notReady = await eventually(
        () => request(consumer.app.getHttpServer()).get('/health/ready'),
        (response) => response.status === 503,
      );
      expect(notReady.body.details.events).toMatchObject({ status: 'down', gaps: { parked: 1 } });
      expect(notReady.body.details.events.problems.join(' ')).toMatch(/gap has been open/);

      await publishEvent(prefix, 'wallet.credited', first!);
      const ready = await eventually(
        () => request(consumer.app.getHttpServer()).get('/health/ready'),
        (response) => response.status === 200,
      );
      expect(ready.body.details.events).toMatchObject({ status: 'up', gaps: { parked: 0, oldestGapAgeMs: null } });
      expect(await appliedSequences(consumer, customerId)).toEqual([1, 2]);
    });
  });

  describe('a gap whose predecessor never comes', () => {
    const prefix = uniqueTestPrefix('converge-repair');
    let producer: TestConsumer;
    let consumer: TestConsumer | undefined;
    beforeAll(async () => {
      producer = await TestConsumer.start({
        origin: 'repair-origin',
        patterns: ['wallet.credited'],
        redisPrefix: prefix,
        database,
      });
    });
    afterAll(async () => {
      await consumer?.close();
      await producer.close();
      await deleteTestKeys(prefix);
    });

    it("is repaired by the origin from its outbox: the consumer asks, the origin publishes the aggregate's events again", async () => {
      const customerId = randomUUID();
      const events = producer.app.get(IntegrationEvents);
      const uow = producer.app.get(UnitOfWork);
      const eventClass = producer.classes.get('wallet.credited') as IntegrationEventType;
      const ids: string[] = [];
      for (const balanceCents of [100, 200, 300]) {
        const recorded = await uow.transaction((manager) =>
          events.record(manager, eventClass, {
            customerId,
            amountCents: 100,
            balanceCents,
            reason: 'deposit',
            orderId: null,
          } as never),
        );
        ids.push((recorded as { data: { id: string } }).data.id);
      }
      const stored = await eventually(
        () => readEvents(prefix, 'wallet.credited'),
        (entries) => ids.every((id) => entries.some((entry) => entry.id === id)),
      );
      // The stream lost the first two (trimmed, or Redis lost them) before the consumer read them.
      await withRedis((redis) =>
        redis.xDel(
          `${prefix}evt:wallet.credited`,
          stored.filter((entry) => entry.id === ids[0] || entry.id === ids[1]).map((entry) => entry.entryId),
        ),
      );

      consumer = await TestConsumer.start({
        origin: 'repair-consumer',
        patterns: ['wallet.credited'],
        redisPrefix: prefix,
        database,
        env: { EVENTS_PARKED_CHECK_MS: '50', EVENTS_GAP_REPAIR_MS: '200' },
      });
      const started = consumer;
      await eventually(
        () => appliedSequences(started, customerId),
        (sequences) => sequences.length === 3,
      );
      expect((await started.applied()).filter((row) => row.aggregateId === customerId).map((row) => row.id)).toEqual(
        ids,
      );
      expect(await parkedOf(started, customerId)).toEqual([]);
      const requests = await readEvents(prefix, RESEND_REQUESTED);
      expect(requests.map((entry) => entry.data)).toContainEqual({
        origin: 'repair-origin',
        aggregateType: 'customer',
        aggregateId: customerId,
        fromSequence: 1,
        requestedBy: 'repair-consumer',
      });
      // The origin published the three again (with their ids; again for each request, which the
      // consumer repeats every EVENTS_GAP_REPAIR_MS while the gap is open); the consumer applied each once.
      const after = await readEvents(prefix, 'wallet.credited');
      expect(after.filter((entry) => entry.id === ids[2]).length).toBeGreaterThanOrEqual(2);
      expect(await readDeadLetters(prefix, 'repair-consumer')).toEqual([]);
    });
  });
});
