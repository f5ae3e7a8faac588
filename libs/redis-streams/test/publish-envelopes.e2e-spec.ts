import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  type Envelope,
  RedisStreamsClient,
  RedisStreamsContext,
  createEnvelope,
  decodeEnvelope,
  runInMessageContext,
} from '@app/redis-streams';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { RedisTargets, StreamsHarness, eventually } from './support/streams-harness';

const received: { id: string; data: unknown; meta: unknown }[] = [];

@Controller()
class LedgerController {
  @EventPattern<string>('ledger.posted')
  posted(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    received.push({ id: context.getMessageId(), data, meta: context.getMeta() });
  }
}

async function publishedTotal(registry: Registry, pattern: string): Promise<number> {
  const metric = await registry.getSingleMetric('streams_messages_published_total')?.get();
  return (metric?.values ?? [])
    .filter((v) => v.labels.pattern === pattern && v.labels.kind === 'event')
    .reduce((sum, v) => sum + v.value, 0);
}

const errorOf = (work: Promise<unknown>) =>
  work.then(
    (value) => {
      throw new Error(`Expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error & { code?: string },
  );

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('publishEnvelopes on $name', (target) => {
  const harness = new StreamsHarness(target);
  // Kills and restarts a Redis of its own: one server, not a cluster.
  const onOneRedis = target.cluster ? it.skip : it;
  beforeAll(() => harness.start());
  afterEach(async () => {
    await harness.reset();
    received.length = 0;
  });
  afterAll(() => harness.cleanup());

  it('appends prepared envelopes in the given order, keeping their ids and meta, and consumers see them', async () => {
    const metrics = new Registry();
    const client = await harness.client({ origin: 'ledger', metrics, maxLen: 1_000 });
    const causedBy = {
      messageId: 'm-9',
      correlationId: 'c-9',
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
    };
    const envelopes: Envelope[] = runInMessageContext(causedBy, () => [
      createEnvelope('ledger.posted', { n: 1 }, 'ledger', { id: randomUUID() }),
      createEnvelope('ledger.voided', { n: 2 }, 'ledger', { id: randomUUID() }),
      createEnvelope('ledger.posted', { n: 3 }, 'ledger', { id: randomUUID() }),
    ]);

    const entryIds = await client.publishEnvelopes(envelopes);

    expect(entryIds).toHaveLength(3);
    const posted = await harness.entries(harness.key('evt:ledger.posted'));
    const voided = await harness.entries(harness.key('evt:ledger.voided'));
    expect(posted.map((e) => e.id)).toEqual([entryIds[0], entryIds[2]]);
    expect(voided.map((e) => e.id)).toEqual([entryIds[1]]);
    const decoded = [...posted, ...voided].map((e) => decodeEnvelope(e.fields));
    expect(decoded).toEqual(
      expect.arrayContaining([envelopes[0], envelopes[1], envelopes[2]].map((envelope) => ({ ok: true, envelope }))),
    );
    expect(envelopes[0]?.meta).toMatchObject({ correlationId: 'c-9', causationId: 'm-9', origin: 'ledger' });
    expect(await publishedTotal(metrics, 'ledger.posted')).toBe(2);
    expect(await publishedTotal(metrics, 'ledger.voided')).toBe(1);

    await harness.service([LedgerController], { service: 'books' });
    await eventually(() => received.length === 2, 5_000, 'both ledger.posted events');
    expect(received.map((r) => r.id)).toEqual([envelopes[0]?.id, envelopes[2]?.id]);
    expect(received.map((r) => r.data)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('keeps a large batch in order on one stream', async () => {
    const client = await harness.client({ origin: 'ledger' });
    const envelopes = Array.from({ length: 500 }, (_, n) => createEnvelope('ledger.bulk', { n }, 'ledger'));
    const entryIds = await client.publishEnvelopes(envelopes);
    const stored = await harness.entries(harness.key('evt:ledger.bulk'));
    expect(stored.map((e) => e.id)).toEqual(entryIds);
    expect(stored.map((e) => e.fields.id)).toEqual(envelopes.map((e) => e.id));
  });

  it('trims with the client settings', async () => {
    const client = await harness.client({ origin: 'ledger', streamLimits: { 'evt:ledger.trimmed': { maxLen: 10 } } });
    for (let round = 0; round < 5; round++) {
      await client.publishEnvelopes(Array.from({ length: 200 }, () => createEnvelope('ledger.trimmed', {}, 'ledger')));
    }
    // `MAXLEN ~` trims by whole nodes (100 entries by default), never below the limit.
    const length = await harness.length(harness.key('evt:ledger.trimmed'));
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(1_000);
  });

  it('resolves with no ids for no envelopes, and refuses an envelope without an id', async () => {
    const client = await harness.client({ origin: 'ledger' });
    expect(await client.publishEnvelopes([])).toEqual([]);
    const bad = { ...createEnvelope('ledger.posted', {}, 'ledger'), id: '' };
    expect(await errorOf(client.publishEnvelopes([bad]))).toMatchObject({ code: 'STREAMS_INVALID_MESSAGE' });
    expect(await harness.keys()).toEqual([]);
  });

  it('fails with STREAMS_PUBLISH_FAILED when Redis refuses an entry', async () => {
    const client = await harness.client({ origin: 'ledger' });
    // A key of another type makes XADD fail with WRONGTYPE.
    await harness.redis.set(harness.key('evt:ledger.clash'), 'not a stream');
    const error = await errorOf(
      client.publishEnvelopes([
        createEnvelope('ledger.fine', {}, 'ledger'),
        createEnvelope('ledger.clash', {}, 'ledger'),
      ]),
    );
    expect(error).toMatchObject({ code: 'STREAMS_PUBLISH_FAILED' });
    expect(error.message).toMatch(/ledger\.clash/);
    // The others were still stored: the caller publishes the batch again (at least once).
    expect(await harness.length(harness.key('evt:ledger.fine'))).toBe(1);
  });

  onOneRedis(
    'fails with STREAMS_CONNECTION_LOST when Redis is unreachable or drops, and works again after it returns',
    async () => {
      const unreachable = new RedisStreamsClient({
        origin: 'ledger',
        url: 'redis://127.0.0.1:1',
        prefix: harness.prefix,
      });
      harness.defer(() => unreachable.close());
      expect(await errorOf(unreachable.publishEnvelopes([createEnvelope('x', {}, 'ledger')]))).toMatchObject({
        code: 'STREAMS_CONNECTION_LOST',
      });

      const redis = await RedisProcess.start();
      try {
        const client = new RedisStreamsClient({
          origin: 'ledger',
          url: redis.url,
          prefix: harness.prefix,
          reconnectBaseDelayMs: 20,
          reconnectMaxDelayMs: 100,
        });
        harness.defer(() => client.close());
        client.on('error', () => undefined);
        expect(await client.publishEnvelopes([createEnvelope('ledger.posted', {}, 'ledger')])).toHaveLength(1);
        await redis.kill();
        expect(await errorOf(client.publishEnvelopes([createEnvelope('ledger.posted', {}, 'ledger')]))).toMatchObject({
          code: 'STREAMS_CONNECTION_LOST',
        });
        await redis.restart();
        let stored: string[] = [];
        await eventually(
          async () => {
            stored = await client
              .publishEnvelopes([createEnvelope('ledger.posted', { again: true }, 'ledger')])
              .catch(() => []);
            return stored.length === 1;
          },
          10_000,
          'publishing after Redis came back',
        );
        expect(stored).toHaveLength(1);
      } finally {
        await redis.stop();
      }
    },
  );
});
