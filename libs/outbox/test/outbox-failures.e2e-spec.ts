import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { EnvelopePublisher } from '@app/redis-streams';
import { RedisProcess } from '../../../tools/testing/redis-process';
import {
  DATABASES,
  type OutboxInstance,
  OutboxHarness,
  eventually,
  failureOf,
  newEvent,
} from './support/outbox-harness';

const fastRetries = { retryBaseDelayMs: 20, retryMaxDelayMs: 200, pollIntervalMs: 50 };

/** Stores what it is given, then fails once as a process would that died before marking the rows. */
function crashOnceAfterPublishing(client: EnvelopePublisher): EnvelopePublisher {
  let crashes = 1;
  return {
    async publishEnvelopes(envelopes, options) {
      const entryIds = await client.publishEnvelopes(envelopes, options);
      if (crashes-- > 0) throw new Error('simulated crash after publishing, before marking');
      return entryIds;
    },
    readHighWaterMark: (name) => client.readHighWaterMark(name),
  };
}

/** Makes marking rows published fail in the database, as if the process died between publishing and committing. */
async function breakMarking(app: OutboxInstance): Promise<() => Promise<void>> {
  if (app.kind === 'postgres') {
    await app.dataSource.query(`CREATE FUNCTION outbox_test_crash() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated crash before the mark committed'; END $$ LANGUAGE plpgsql`);
    await app.dataSource.query(`CREATE TRIGGER outbox_test_crash BEFORE UPDATE OF published_at ON outbox_events
      FOR EACH ROW WHEN (NEW.published_at IS NOT NULL) EXECUTE FUNCTION outbox_test_crash()`);
    return async () => {
      await app.dataSource.query('DROP TRIGGER outbox_test_crash ON outbox_events');
      await app.dataSource.query('DROP FUNCTION outbox_test_crash()');
    };
  }
  await app.dataSource.query(`CREATE TRIGGER outbox_test_crash BEFORE UPDATE OF published_at ON outbox_events
    WHEN NEW.published_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'simulated crash before the mark committed'); END`);
  return async () => {
    await app.dataSource.query('DROP TRIGGER outbox_test_crash');
  };
}

describe.each(DATABASES)('the relay when things fail, on %s', (kind) => {
  const harness = new OutboxHarness();
  beforeAll(() => harness.start());
  afterEach(() => harness.closeAll());
  afterAll(() => harness.cleanup());

  it('keeps every row while Redis is unavailable, publishes them all once it is back, and again what Redis lost', async () => {
    const redis = await RedisProcess.start();
    const reader = createClient({ url: redis.url, RESP: 2 });
    reader.on('error', () => undefined);
    try {
      await redis.kill();
      const app = await harness.instance(kind, { settings: { redisUrl: redis.url, ...fastRetries } });
      const [a, b] = [randomUUID(), randomUUID()];
      const first = await app.add([
        newEvent(a, { customerId: a }),
        newEvent(b, { customerId: b }),
        newEvent(a, { customerId: a }),
      ]);

      await eventually(
        async () => (await app.rows()).every((row) => row.attempts >= 2),
        10_000,
        'the relay to try at least twice',
      );
      const waiting = await app.rows();
      expect(waiting.map((row) => row.publishedAt)).toEqual([null, null, null]);
      expect(waiting[0]?.lastError).toMatch(/unreachable|ECONNREFUSED|not stored/);
      expect((await app.outbox.backlog()).unpublished).toBe(3);
      expect(await failureOf(app.relay.publishNow())).toMatchObject({ code: 'OUTBOX_PUBLISH_FAILED' });

      await redis.restart();
      await reader.connect();
      await eventually(
        async () => (await app.outbox.backlog()).unpublished === 0,
        15_000,
        'publishing after the restart',
      );
      const entries = await harness.entries('customer.changed', reader);
      expect(entries.map((e) => e.envelope.id)).toEqual(first.map((event) => event.id));
      expect((await app.rows()).every((row) => row.lastError === null && row.publishedAt !== null)).toBe(true);

      // Redis dies again while the relay is connected: the rows wait, then go out after the restart.
      await redis.kill();
      const second = await app.add([newEvent(a, { customerId: a }), newEvent(b, { customerId: b })]);
      await eventually(
        async () => (await app.rows()).slice(3).every((row) => row.attempts >= 1 && row.lastError !== null),
        10_000,
        'a failed attempt while Redis is down',
      );
      await redis.restart();
      await eventually(
        async () => (await app.outbox.backlog()).unpublished === 0,
        15_000,
        'publishing after the second restart',
      );
      // Redis lost everything in the crash (no persistence), its high-water mark too: the relay
      // publishes what came after, and again what Redis lost.
      const again = await harness.entries('customer.changed', reader);
      expect(again.map((e) => e.envelope.id).sort()).toEqual([...first, ...second].map((event) => event.id).sort());
      for (const customerId of [a, b]) {
        const sequences = again
          .map((e) => e.envelope.data as { customerId: string; sequence: number })
          .filter((data) => data.customerId === customerId)
          .map((data) => data.sequence)
          .sort();
        expect(sequences).toEqual(customerId === a ? [1, 2, 3] : [1, 2]);
      }
      expect(await app.metrics.registry.metrics()).toMatch(/^outbox_republished_total\{[^}]*\} 3$/m);
    } finally {
      if (reader.isOpen) reader.destroy();
      await redis.stop();
    }
  });

  it('publishes again, with the same ids, what was stored but not marked, and records the attempt', async () => {
    const app = await harness.instance(kind, { publisher: crashOnceAfterPublishing, settings: fastRetries });
    const events = [
      newEvent(randomUUID(), { n: 1 }, 'customer.crashed'),
      newEvent(randomUUID(), { n: 2 }, 'customer.crashed'),
    ];
    await app.transaction(async (manager) => {
      for (const event of events) await app.outbox.add(manager, event);
    });

    await eventually(async () => (await app.outbox.backlog()).unpublished === 0, 10_000, 'the republish');
    const entries = await harness.entries('customer.crashed');
    const ids = events.map((event) => event.id);
    expect(entries.map((e) => e.envelope.id)).toEqual([...ids, ...ids]);
    expect(entries.map((e) => e.envelope.data)).toEqual([
      { n: 1, sequence: 1 },
      { n: 2, sequence: 1 },
      { n: 1, sequence: 1 },
      { n: 2, sequence: 1 },
    ]);
    expect((await app.rows()).map((row) => [row.attempts, row.lastError])).toEqual([
      [2, null],
      [2, null],
    ]);
    const failures = await app.metrics.registry.getSingleMetric('outbox_publish_failures_total')?.get();
    expect(failures?.values[0]?.value).toBe(1);
  });

  it('publishes again what was stored when marking never committed', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false } });
    const restore = await breakMarking(app);
    const event = newEvent(randomUUID(), { n: 1 }, 'customer.unmarked');
    await app.add([event]);

    const error = await failureOf(app.relay.publishNow());
    expect(error.message).toMatch(/simulated crash before the mark committed/);
    expect(await failureOf(app.relay.publishNow())).toBeDefined();
    // Stored twice, and the row is as if no relay had touched it (the transaction rolled back).
    expect((await harness.entries('customer.unmarked')).map((e) => e.envelope.id)).toEqual([event.id, event.id]);
    expect(await app.rows()).toMatchObject([{ id: event.id, publishedAt: null, attempts: 0 }]);

    await restore();
    expect(await app.relay.publishNow()).toBe(1);
    const entries = await harness.entries('customer.unmarked');
    expect(entries.map((e) => e.envelope.id)).toEqual([event.id, event.id, event.id]);
    expect(new Set(entries.map((e) => JSON.stringify(e.envelope.data)))).toEqual(new Set(['{"n":1,"sequence":1}']));
    expect(await app.rows()).toMatchObject([{ id: event.id, publishedAt: expect.any(String), attempts: 1 }]);
  });
});
