import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { DomainError } from '@app/service-defaults';
import {
  type DeadLetter,
  ManualClock,
  RedisStreamsContext,
  type RedisConnection,
  RedisStreamsRemoteError,
  connectOrFail,
  createRedisConnection,
  listDeadLetters,
  replayDeadLetters,
} from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, failureOf } from './support/streams-harness';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'tools', 'streams', 'src', 'dead-letters.main.js');
const run = promisify(execFile);

interface Attempt {
  pattern: string;
  data: unknown;
  messageId: string;
  entryId: string;
  deliveries: number;
  at: number;
}

const ledger = {
  /** How many more deliveries of `ledger.posted` fail (Infinity: all). */
  failuresLeft: Infinity,
  attempts: [] as Attempt[],
  handled: [] as Attempt[],
};

function attempt(pattern: string, data: unknown, context: RedisStreamsContext): Attempt {
  const record = {
    pattern,
    data,
    messageId: context.getMessageId(),
    entryId: context.getEntryId(),
    deliveries: context.getDeliveryCount(),
    at: Date.now(),
  };
  ledger.attempts.push(record);
  return record;
}

const amountSchema = z.object({ amount: z.number().positive() });

@Controller()
class LedgerController {
  @EventPattern<string>('ledger.posted')
  posted(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    const record = attempt('ledger.posted', data, context);
    if (ledger.failuresLeft > 0) {
      ledger.failuresLeft--;
      throw new DomainError('LEDGER_LOCKED', 'The ledger is locked.');
    }
    ledger.handled.push(record);
  }

  @EventPattern<string>('ledger.rejected')
  rejected(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    attempt('ledger.rejected', data, context);
    throw new DomainError('VALIDATION_FAILED', 'amount must be positive');
  }

  @EventPattern<string>('ledger.checked')
  checked(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    ledger.handled.push(attempt('ledger.checked', data, context));
  }

  @MessagePattern('ledger.check')
  check(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): string {
    ledger.handled.push(attempt('ledger.check', data, context));
    return 'ok';
  }
}

const schemas = { 'ledger.checked': amountSchema, 'ledger.check': amountSchema };

const letterConsumers = (letters: readonly DeadLetter[]) => [...new Set(letters.map((l) => l.consumer))];

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (
    metric?.values
      .filter((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value))
      .reduce((sum, v) => sum + v.value, 0) ?? 0
  );
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('dead letters on $name', (target) => {
  const harness = new StreamsHarness(target);
  let dlq: string;
  /** A connection as the library makes them, for its dead-letter functions. */
  let connection: RedisConnection;
  beforeAll(async () => {
    await harness.start();
    dlq = harness.key('dlq:ledger');
    connection = createRedisConnection(
      { url: harness.url, reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 1_000 },
      'dead-letters-test',
    );
    connection.on('error', () => undefined);
    await connectOrFail(connection, harness.url);
  });
  afterEach(async () => {
    await harness.reset();
    ledger.failuresLeft = Infinity;
    ledger.attempts = [];
    ledger.handled = [];
  });
  afterAll(async () => {
    await connection?.close();
    await harness.cleanup();
  });

  it('acknowledges a failed event only once a retry succeeds, retrying with backoff on the same consumer', async () => {
    const metrics = new Registry();
    const clock = new ManualClock();
    const { server } = await harness.service([LedgerController], {
      service: 'ledger',
      maxDeliveries: 5,
      retryBaseDelayMs: 150,
      retryMaxDelayMs: 1_000,
      metrics,
      clock,
    });
    const stream = harness.key('evt:ledger.posted');
    ledger.failuresLeft = 2;
    const client = await harness.client({ origin: 'bank' });
    await lastValueFrom(client.emit('ledger.posted', { n: 1 }));

    /** Waits for the retry to be set, checks its backoff, and lets the clock run up to it. */
    const retryAfter = async (min: number, max: number) => {
      const start = clock.now();
      // The heartbeat is due after 1 s, the claims after 5 s: the retry is the timer due sooner.
      const retry = () => clock.pending.find((at) => at - start <= max);
      await eventually(() => retry() !== undefined, 5_000, 'the retry to be set');
      const delay = (retry() as number) - start;
      expect(delay).toBeGreaterThanOrEqual(min);
      await clock.advance(delay - 1);
      return () => clock.advance(1);
    };

    await eventually(() => ledger.attempts.length === 1);
    // Failed, so not acknowledged: pending on this instance's consumer, waiting for its retry.
    expect(await harness.pending(stream, 'ledger')).toEqual({ count: 1, consumers: { [server.consumer]: 1 } });
    // base × 2^(n-1) with ±20 % jitter: 120 to 180 ms, then 240 to 360 ms.
    let due = await retryAfter(120, 180);
    expect(ledger.attempts).toHaveLength(1);
    await due();
    await eventually(() => ledger.attempts.length === 2, 5_000, 'the second delivery');
    due = await retryAfter(240, 360);
    expect(ledger.attempts).toHaveLength(2);
    await due();
    await eventually(() => ledger.handled.length === 1, 5_000, 'the retry to succeed');
    await eventually(async () => (await harness.pending(stream, 'ledger')).count === 0);

    expect(ledger.attempts.map((a) => a.deliveries)).toEqual([1, 2, 3]);
    expect(new Set(ledger.attempts.map((a) => a.messageId)).size).toBe(1);
    expect(await harness.length(dlq)).toBe(0);
    expect(await metricValue(metrics, 'streams_messages_failed_total', { pattern: 'ledger.posted' })).toBe(2);
    expect(await metricValue(metrics, 'streams_messages_retried_total', { pattern: 'ledger.posted' })).toBe(2);
    expect(await metricValue(metrics, 'streams_messages_acknowledged_total', { pattern: 'ledger.posted' })).toBe(1);
  });

  it('dead-letters a poison message after maxDeliveries with why, then replays it once fixed', async () => {
    const metrics = new Registry();
    const { server } = await harness.service([LedgerController], {
      service: 'ledger',
      maxDeliveries: 3,
      retryBaseDelayMs: 20,
      retryMaxDelayMs: 100,
      metrics,
    });
    const stream = harness.key('evt:ledger.posted');
    const client = await harness.client({ origin: 'bank' });
    const entryId = await lastValueFrom(client.emit('ledger.posted', { n: 2 }));

    await eventually(async () => (await harness.length(dlq)) === 1, 5_000, 'the dead letter');
    expect(ledger.attempts.map((a) => a.deliveries)).toEqual([1, 2, 3]);
    expect(ledger.handled).toEqual([]);
    // Moved and acknowledged together.
    expect((await harness.pending(stream, 'ledger')).count).toBe(0);

    const [letter] = await listDeadLetters(connection, dlq);
    const original = (await harness.entries(stream)).find((e) => e.id === entryId);
    expect(letter).toEqual<DeadLetter>({
      deadLetterId: expect.stringMatching(/^\d+-\d+$/),
      messageId: ledger.attempts[0]?.messageId as string,
      pattern: 'ledger.posted',
      error: { code: 'LEDGER_LOCKED', message: 'The ledger is locked.' },
      sourceStream: stream,
      sourceId: entryId,
      group: 'ledger',
      consumer: server.consumer,
      deliveries: 3,
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      fields: Object.entries(original?.fields ?? {}).flat(),
    });
    expect(await metricValue(metrics, 'streams_messages_dead_lettered_total', { pattern: 'ledger.posted' })).toBe(1);
    expect(await metricValue(metrics, 'streams_messages_failed_total', { pattern: 'ledger.posted' })).toBe(3);
    expect((await server.inspect()).deadLetters).toBe(1);

    // Nothing more happens to it while it is dead-lettered: acknowledged, it is delivered no more.
    expect(ledger.attempts).toHaveLength(3);

    ledger.failuresLeft = 0;
    const replayed = await server.replayDeadLetters();
    expect(replayed.map((l) => l.deadLetterId)).toEqual([letter?.deadLetterId]);
    await eventually(() => ledger.handled.length === 1, 5_000, 'the replayed message to be handled');
    expect(ledger.handled[0]).toMatchObject({ data: { n: 2 }, messageId: letter?.messageId, deliveries: 1 });
    expect(await harness.length(dlq)).toBe(0);
    await eventually(async () => (await harness.pending(stream, 'ledger')).count === 0);
    expect(ledger.handled).toHaveLength(1);
  });

  it('replays dead letters from the command line (npm run streams:dlq), by id or by count', async () => {
    const { server } = await harness.service([LedgerController], { service: 'ledger', maxDeliveries: 1 });
    const client = await harness.client({ origin: 'bank' });
    for (const n of [3, 4, 5]) await lastValueFrom(client.emit('ledger.posted', { n }));
    await eventually(async () => (await harness.length(dlq)) === 3, 5_000, 'three dead letters');

    const cli = (...args: string[]) =>
      run(process.execPath, [CLI, ...args], {
        env: { ...process.env, REDIS_URL: harness.url, REDIS_PREFIX: harness.prefix },
      });
    const listed = JSON.parse((await cli('list', '--service', 'ledger', '--json')).stdout) as DeadLetter[];
    expect(listed.map((l) => [l.pattern, l.deliveries, l.error.code])).toEqual([
      ['ledger.posted', 1, 'LEDGER_LOCKED'],
      ['ledger.posted', 1, 'LEDGER_LOCKED'],
      ['ledger.posted', 1, 'LEDGER_LOCKED'],
    ]);
    const byN = (n: number) =>
      listed.find((l) => l.messageId === ledger.attempts.find((a) => (a.data as { n: number }).n === n)?.messageId);

    ledger.failuresLeft = 0;
    const one = await cli('replay', '--service', 'ledger', '--id', byN(4)?.deadLetterId as string);
    expect(one.stdout).toContain(`1 dead letter(s) replayed from ${dlq}`);
    await eventually(() => ledger.handled.length === 1, 5_000, 'the replayed message');
    expect(ledger.handled[0]).toMatchObject({ data: { n: 4 }, messageId: byN(4)?.messageId });
    expect((await listDeadLetters(connection, dlq)).map((l) => l.deadLetterId)).toEqual(
      [byN(3), byN(5)].map((l) => l?.deadLetterId),
    );

    const rest = await cli('replay', '--service', 'ledger', '--count', '10');
    expect(rest.stdout).toContain(`2 dead letter(s) replayed from ${dlq}`);
    await eventually(() => ledger.handled.length === 3, 5_000, 'every replayed message');
    expect(ledger.handled.map((h) => (h.data as { n: number }).n).sort()).toEqual([3, 4, 5]);
    expect(await harness.length(dlq)).toBe(0);
    expect((await harness.pending(harness.key('evt:ledger.posted'), 'ledger')).count).toBe(0);
    expect(letterConsumers(listed)).toEqual([server.consumer]);
  });

  it('dead-letters at once what retrying cannot fix: invalid data, a validation error, a malformed entry', async () => {
    const metrics = new Registry();
    await harness.service([LedgerController], { service: 'ledger', schemas, metrics });
    const client = await harness.client({ origin: 'bank', service: 'ledger' });

    await lastValueFrom(client.emit('ledger.checked', { amount: -5 }));
    const rejected = await failureOf(client.send('ledger.check', { amount: 'ten' }));
    expect(rejected).toBeInstanceOf(RedisStreamsRemoteError);
    expect(rejected.code).toBe('STREAMS_INVALID_MESSAGE');
    await lastValueFrom(client.emit('ledger.rejected', { amount: 1 }));
    const checked = harness.key('evt:ledger.checked');
    await harness.redis.sendCommand(['XADD', checked, '*', 'junk', 'yes']);
    await harness.redis.sendCommand([
      'XADD',
      checked,
      '*',
      'id',
      'x-1',
      'pattern',
      'ledger.checked',
      'data',
      '{oops',
      'meta',
      '{}',
    ]);
    await lastValueFrom(client.emit('ledger.checked', { amount: 5 }));

    await eventually(async () => (await harness.length(dlq)) === 5, 5_000, 'five dead letters');
    const letters = await listDeadLetters(connection, dlq);
    const summary = letters.map((l) => ({
      source: l.sourceStream,
      ...l.error,
      deliveries: l.deliveries,
    }));
    expect(summary).toEqual(
      expect.arrayContaining([
        {
          source: harness.key('evt:ledger.checked'),
          code: 'STREAMS_INVALID_MESSAGE',
          message: expect.stringContaining('amount'),
          deliveries: 1,
        },
        {
          source: harness.key('req:ledger'),
          code: 'STREAMS_INVALID_MESSAGE',
          message: expect.stringContaining('amount'),
          deliveries: 1,
        },
        {
          source: harness.key('evt:ledger.rejected'),
          code: 'VALIDATION_FAILED',
          message: 'amount must be positive',
          deliveries: 1,
        },
        {
          source: harness.key('evt:ledger.checked'),
          code: 'STREAMS_INVALID_MESSAGE',
          message: 'the entry has no id field',
          deliveries: 1,
        },
        {
          source: harness.key('evt:ledger.checked'),
          code: 'STREAMS_INVALID_MESSAGE',
          message: expect.stringContaining('data'),
          deliveries: 1,
        },
      ]),
    );
    // Handlers never saw the invalid data; the validation error was tried once; valid data went through.
    expect(ledger.attempts.map((a) => [a.pattern, a.data])).toEqual(
      expect.arrayContaining([
        ['ledger.rejected', { amount: 1 }],
        ['ledger.checked', { amount: 5 }],
      ]),
    );
    await eventually(() => ledger.attempts.length === 2);
    expect(ledger.attempts).toHaveLength(2);
    for (const stream of ['evt:ledger.checked', 'evt:ledger.rejected', 'req:ledger']) {
      expect((await harness.pending(harness.key(stream), 'ledger')).count).toBe(0);
    }
    expect(await metricValue(metrics, 'streams_messages_dead_lettered_total', {})).toBe(5);
    expect(await metricValue(metrics, 'streams_messages_retried_total', {})).toBe(0);

    // The library function replays selected letters too; invalid data fails again, at once.
    const invalidEvent = letters.find(
      (l) => l.sourceStream === checked && l.pattern === 'ledger.checked' && l.messageId !== 'x-1',
    );
    const again = await replayDeadLetters(connection, dlq, { ids: [invalidEvent?.deadLetterId as string] });
    expect(again).toHaveLength(1);
    await eventually(
      async () => {
        const now = await listDeadLetters(connection, dlq);
        return (
          now.length === 5 &&
          now.some((l) => l.messageId === invalidEvent?.messageId && l.deadLetterId !== invalidEvent?.deadLetterId)
        );
      },
      5_000,
      'the replayed invalid event to come back',
    );
  });

  it('replays the events of each aggregate in ascending sequence, whatever order they were dead-lettered in', async () => {
    // One handler at a time, so that the events are dead-lettered, and handled again, in stream order.
    await harness.service([LedgerController], { service: 'ledger', maxDeliveries: 1, concurrency: 1 });
    const client = await harness.client({ origin: 'bank' });
    const stream = harness.key('evt:ledger.posted');
    const event = (aggregateId: string, sequence: number) => ({ origin: 'payments', aggregateId, sequence });
    const stored = [
      event('a', 3),
      { note: 'no aggregate' },
      event('b', 2),
      event('a', 1),
      { origin: 'payments', aggregateId: 'a', sequences: { payments: 1 } }, // a snapshot: no sequence
      event('b', 1),
      event('a', 2),
    ];
    for (const data of stored) await lastValueFrom(client.emit('ledger.posted', data));
    await eventually(async () => (await harness.length(dlq)) === stored.length, 5_000, 'every event dead-lettered');
    const letters = await listDeadLetters(connection, dlq);
    const dataOf = (fields: readonly string[]) => JSON.parse(fields[fields.indexOf('data') + 1] as string) as unknown;
    expect(letters.map((letter) => dataOf(letter.fields))).toEqual(stored);

    ledger.failuresLeft = 0;
    const replayedAt = (await harness.entries(stream)).length;
    const { stdout } = await run(process.execPath, [CLI, 'replay', '--service', 'ledger', '--count', '10', '--json'], {
      env: { ...process.env, REDIS_URL: harness.url, REDIS_PREFIX: harness.prefix },
    });
    const inOrder = [
      event('a', 1),
      { note: 'no aggregate' },
      event('b', 1),
      event('a', 2),
      { origin: 'payments', aggregateId: 'a', sequences: { payments: 1 } },
      event('b', 2),
      event('a', 3),
    ];
    expect((JSON.parse(stdout) as DeadLetter[]).map((letter) => dataOf(letter.fields))).toEqual(inOrder);
    // Appended to the stream in that order, and so handled in that order.
    const appended = (await harness.entries(stream)).slice(replayedAt);
    expect(appended.map((entry) => JSON.parse(entry.fields.data as string) as unknown)).toEqual(inOrder);
    await eventually(() => ledger.handled.length === stored.length, 5_000, 'every replayed event to be handled');
    expect(ledger.handled.map((h) => h.data)).toEqual(inOrder);
    expect(await harness.length(dlq)).toBe(0);
  });
});
