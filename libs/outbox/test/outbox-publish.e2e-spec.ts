import { randomUUID } from 'node:crypto';
import { OUTBOX_PUBLISHER, OUTBOX_STREAMS_CLIENT } from '@app/outbox';
import { type RedisStreamsClient, runInMessageContext } from '@app/redis-streams';
import { DATABASES, OutboxHarness, eventually, failureOf, newEvent } from './support/outbox-harness';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(DATABASES)('the outbox on %s', (kind) => {
  const harness = new OutboxHarness();
  beforeAll(() => harness.start());
  afterEach(() => harness.closeAll());
  afterAll(() => harness.cleanup());

  it('publishes an event added in a committed transaction, with its id, data, sequence and origin', async () => {
    const app = await harness.instance(kind, { origin: 'orders', settings: { pollIntervalMs: 200 } });
    const customerId = randomUUID();
    const event = newEvent(customerId, { customerId, amountCents: 500 }, 'wallet.credited');

    const added = await app.transaction((manager) => app.outbox.add(manager, event));

    expect(added).toEqual({ id: event.id, sequence: 1, data: { customerId, amountCents: 500, sequence: 1 } });
    await eventually(async () => (await harness.entries('wallet.credited')).length === 1, 5_000, 'the entry');
    const [entry] = await harness.entries('wallet.credited');
    expect(entry?.envelope).toEqual({
      id: event.id,
      pattern: 'wallet.credited',
      data: { customerId, amountCents: 500, sequence: 1 },
      meta: {
        traceparent: expect.stringMatching(TRACEPARENT),
        correlationId: event.id,
        causationId: null,
        origin: 'orders',
        occurredAt: expect.stringMatching(ISO),
      },
    });
    await eventually(async () => (await app.rows())[0]?.publishedAt !== null, 2_000, 'the row to be marked');
    const [row] = await app.rows();
    expect(row).toMatchObject({
      id: event.id,
      pattern: 'wallet.credited',
      aggregateType: 'customer',
      aggregateId: customerId,
      sequence: 1,
      attempts: 1,
      lastError: null,
      publishedAt: expect.stringMatching(ISO),
      createdAt: expect.stringMatching(ISO),
    });
    expect(await app.outbox.backlog()).toEqual({
      unpublished: 0,
      oldestAgeMs: null,
      parked: 0,
      oldestParkedAgeMs: null,
    });
  });

  it('publishes through the streams client it opens, and closes it on shutdown once the relay has stopped', async () => {
    const app = await harness.instance(kind, { origin: 'closing', settings: { pollIntervalMs: 60_000 } });
    const client = app.app.get<RedisStreamsClient>(OUTBOX_STREAMS_CLIENT);
    expect(app.app.get(OUTBOX_PUBLISHER)).toBe(client);
    await app.add([newEvent(randomUUID(), {}, 'customer.closing')]);
    await eventually(async () => (await app.outbox.backlog()).unpublished === 0, 5_000, 'the publish');
    expect(await client.readHighWaterMark('outbox:closing')).toBeGreaterThan(0);

    await app.close();
    expect(app.relay.started).toBe(false);
    expect(await failureOf(client.readHighWaterMark('outbox:closing'))).toMatchObject({
      code: 'STREAMS_CLIENT_CLOSED',
    });
  });

  it('continues the trace and correlation of the message being handled when the event was added', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false } });
    const parent = {
      messageId: randomUUID(),
      correlationId: randomUUID(),
      traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`,
    };
    const event = newEvent(randomUUID(), {}, 'customer.caused');
    await runInMessageContext(parent, () => app.transaction((manager) => app.outbox.add(manager, event)));

    expect(await app.relay.publishNow()).toBe(1);

    const [entry] = await harness.entries('customer.caused');
    expect(entry?.envelope.id).toBe(event.id);
    expect(entry?.envelope.meta).toMatchObject({
      correlationId: parent.correlationId,
      causationId: parent.messageId,
      origin: 'tests',
    });
    expect(entry?.envelope.meta.traceparent).toMatch(new RegExp(`^00-${'c'.repeat(32)}-[0-9a-f]{16}-01$`));
  });

  it('publishes nothing for a rolled-back transaction, past a poll and a wake-up', async () => {
    const app = await harness.instance(kind, { settings: { pollIntervalMs: 100 } });
    const rolledBack = newEvent(randomUUID(), {}, 'customer.rolled');
    const error = await failureOf(
      app.transaction(async (manager) => {
        await app.outbox.add(manager, rolledBack);
        throw new Error('the use case failed');
      }),
    );
    expect(error.message).toBe('the use case failed');
    // A commit that added another event wakes the relay; two polls pass as well.
    const committed = newEvent(randomUUID(), {}, 'customer.kept');
    await app.add([committed]);
    await eventually(async () => (await harness.entries('customer.kept')).length === 1, 5_000, 'the committed event');
    // A marker committed later and published shows that the relay has passed since: had the
    // rolled-back event been stored, it would have gone out before it.
    const marker = newEvent(randomUUID(), {}, 'customer.marker');
    await app.add([marker]);
    await eventually(async () => (await harness.entries('customer.marker')).length === 1, 5_000, 'the marker');

    expect(await harness.entries('customer.rolled')).toEqual([]);
    expect((await app.rows()).map((row) => row.id).sort()).toEqual([committed.id, marker.id].sort());
    // The rolled-back number was not used: the aggregate's next event is 1 again.
    const [again] = await app.add([newEvent(rolledBack.aggregateId)]);
    expect(again?.sequence).toBe(1);
  });

  it('wakes at once after a commit that added rows, well before the next poll', async () => {
    const app = await harness.instance(kind, { settings: { pollIntervalMs: 60_000 } });
    // A first event published means the pass at start-up has run, so that only a wake-up can publish what follows.
    await app.add([newEvent(randomUUID(), {}, 'customer.first')]);
    await eventually(async () => (await harness.entries('customer.first')).length === 1, 5_000, 'the first event');
    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      const event = newEvent(randomUUID(), { round }, 'customer.woken');
      const committedAt = Date.now();
      await app.add([event]);
      await eventually(
        async () => (await harness.entries('customer.woken')).some((e) => e.envelope.id === event.id),
        5_000,
        `event ${round}`,
      );
      latencies.push(Date.now() - committedAt);
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect((await harness.entries('customer.woken')).map((e) => e.envelope.data.round)).toEqual([0, 1, 2]);
  });

  it('numbers each aggregate on its own, 1, 2, 3 across transactions, and leaves snapshots unnumbered', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false } });
    const [a, b] = [randomUUID(), randomUUID()];
    const added = await app.add([newEvent(a), newEvent(a), newEvent(b), newEvent(a)]);
    const snapshot = await app.transaction((manager) =>
      app.outbox.add(manager, newEvent(a, { name: 'Ada' }, 'customer.snapshot'), { sequenced: false }),
    );

    expect(added.map((event) => event.sequence)).toEqual([1, 2, 1, 3]);
    expect(snapshot).toMatchObject({ sequence: null, data: { name: 'Ada' } });
    expect(await app.transaction((manager) => app.outbox.currentSequence(manager, 'customer', a))).toBe(3);
    expect(await app.transaction((manager) => app.outbox.currentSequence(manager, 'customer', randomUUID()))).toBe(0);
    expect((await app.rows()).map((row) => [row.aggregateId, row.sequence, row.data.sequence])).toEqual([
      [a, 1, 1],
      [a, 2, 2],
      [b, 1, 1],
      [a, 3, 3],
      [a, null, undefined],
    ]);
    expect(await app.relay.publishNow()).toBe(5);
    expect((await harness.entries('customer.changed')).map((e) => e.envelope.data.sequence)).toEqual([1, 2, 1, 3]);
  });

  it('validates the final data and gives the number back when validation refuses', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false } });
    const customerId = randomUUID();
    const seen: unknown[] = [];
    const refusal = await failureOf(
      app.transaction((manager) =>
        app.outbox.add(manager, newEvent(customerId, { ok: false }), {
          validate: (data) => {
            seen.push(data);
            throw new Error('does not match its contract');
          },
        }),
      ),
    );
    expect(refusal.message).toBe('does not match its contract');
    expect(seen).toEqual([{ ok: false, sequence: 1 }]);
    // A caller that catches the refusal and commits anyway leaves no gap in the numbers.
    await app.transaction(async (manager) => {
      await app.outbox
        .add(manager, newEvent(customerId), {
          validate: () => {
            throw new Error('no');
          },
        })
        .catch(() => undefined);
    });
    const [next] = await app.add([newEvent(customerId)]);
    expect(next?.sequence).toBe(1);
    expect((await app.rows()).map((row) => row.sequence)).toEqual([1]);
  });

  it('refuses events outside a transaction and malformed events', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false } });
    expect(await failureOf(app.outbox.add(app.dataSource.manager, newEvent(randomUUID())))).toMatchObject({
      code: 'OUTBOX_NOT_IN_TRANSACTION',
    });
    const malformed = await failureOf(
      app.transaction((manager) =>
        app.outbox.add(manager, {
          id: 'not-a-uuid',
          pattern: '',
          aggregateType: 'customer',
          aggregateId: 'x',
          data: [] as never,
        }),
      ),
    );
    expect(malformed).toMatchObject({ code: 'OUTBOX_EVENT_INVALID' });
    expect(malformed.message).toMatch(/id must be a UUID.*pattern must be a string.*data must be an object/);
    expect(await app.rows()).toEqual([]);
  });
});
