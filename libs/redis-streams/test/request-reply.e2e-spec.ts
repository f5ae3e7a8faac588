import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import {
  EMPTY,
  type Observable,
  concat,
  defer,
  firstValueFrom,
  interval,
  lastValueFrom,
  of,
  take,
  throwError,
  toArray,
} from 'rxjs';
import { DomainError } from '@app/service-defaults';
import {
  ManualClock,
  RedisStreamsContext,
  currentReplyHeaders,
  RedisStreamsRemoteError,
  StreamsError,
  createEnvelope,
  encodeEnvelope,
} from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, failureOf, latch, sleep } from './support/streams-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface Seen {
  messageId: string;
  stream: string;
  entryId: string;
  deliveries: number;
  meta: ReturnType<RedisStreamsContext['getMeta']>;
}

const state = {
  slow: latch<string>(),
  slowSeen: [] as Seen[],
  expiredRuns: 0,
};

/** The timeout a request was sent with, from its envelope (to the 10 ms: the two times are taken apart). */
function timeoutOf(meta: Seen['meta'] | undefined): number {
  const ms = Date.parse(meta?.deadline as string) - Date.parse(meta?.occurredAt as string);
  return Math.round(ms / 10) * 10;
}

function seen(context: RedisStreamsContext): Seen {
  return {
    messageId: context.getMessageId(),
    stream: context.getStream(),
    entryId: context.getEntryId(),
    deliveries: context.getDeliveryCount(),
    meta: context.getMeta(),
  };
}

@Controller()
class CalculatorController {
  @MessagePattern('calc.sum')
  sum(@Payload() numbers: number[]): number {
    return numbers.reduce((a, b) => a + b, 0);
  }

  @MessagePattern('calc.describe')
  describe(@Payload() order: { id: string; lines: { sku: string; qty: number; price: number }[] }) {
    return {
      id: order.id,
      total: order.lines.reduce((sum, line) => sum + line.qty * line.price, 0),
      skus: order.lines.map((line) => line.sku),
      note: 'größer ✓',
      discount: null,
      nested: { deep: { flag: true } },
    };
  }

  @MessagePattern('calc.later')
  async later(@Payload() n: number): Promise<number> {
    await sleep(5);
    return n * 2;
  }

  @MessagePattern('calc.count')
  count(@Payload() n: number): Observable<number> {
    return interval(2).pipe(take(n));
  }

  @MessagePattern('calc.nothing')
  nothing(): Observable<number> {
    return EMPTY;
  }

  @MessagePattern('calc.echo')
  echo(@Payload() data: unknown): unknown {
    return data;
  }

  /** Says where its answer came from in a reply header; refuses negative numbers, still with the header. */
  @MessagePattern('calc.signed')
  async signed(@Payload() n: number): Promise<number> {
    await sleep(1);
    currentReplyHeaders()?.set('x-answered-by', `calculator-${n}`);
    if (n < 0) throw new DomainError('NEGATIVE', 'No negative numbers.');
    return n;
  }

  /** The same, its work done only once its answer is subscribed to. */
  @MessagePattern('calc.signed-lazily')
  signedLazily(@Payload() n: number): Observable<number> {
    return defer(async () => {
      await sleep(1);
      currentReplyHeaders()?.set('x-answered-by', `lazy-${n}`);
      return n;
    });
  }

  @MessagePattern('calc.inspect')
  inspect(@Payload() data: unknown, @Ctx() context: RedisStreamsContext) {
    return { data, ...seen(context) };
  }

  @MessagePattern('calc.headers')
  headers(@Ctx() context: RedisStreamsContext) {
    return context.getHeaders();
  }

  @MessagePattern('calc.missing-order')
  missingOrder(@Payload() id: number): never {
    throw new DomainError('ORDER_NOT_FOUND', `No order ${id}.`);
  }

  @MessagePattern('calc.crash')
  crash(): never {
    throw new Error('something internal broke');
  }

  @MessagePattern('calc.fail-halfway')
  failHalfway(): Observable<number> {
    return concat(
      of(1, 2),
      throwError(() => new DomainError('HALFWAY', 'Stopped after two.')),
    );
  }

  @MessagePattern('calc.slow')
  async slow(@Payload() _data: unknown, @Ctx() context: RedisStreamsContext): Promise<string> {
    state.slowSeen.push(seen(context));
    return state.slow.promise;
  }

  @MessagePattern('calc.expire-me')
  expireMe(): string {
    state.expiredRuns++;
    return 'ran';
  }

  @EventPattern<string>('calc.happened')
  happened(): void {}
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('request-reply on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(async () => {
    state.slow.open('released');
    await harness.reset();
    state.slow = latch<string>();
    state.slowSeen = [];
    state.expiredRuns = 0;
  });
  afterAll(() => harness.cleanup());

  it('answers with values, objects, promises and observables', async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });

    expect(await firstValueFrom(client.send('calc.sum', [1, 2, 3.5]))).toBe(6.5);
    const order = {
      id: 'o-1',
      lines: [
        { sku: 'a', qty: 2, price: 3 },
        { sku: 'b', qty: 1, price: 4 },
      ],
    };
    expect(await firstValueFrom(client.send('calc.describe', order))).toEqual({
      id: 'o-1',
      total: 10,
      skus: ['a', 'b'],
      note: 'größer ✓',
      discount: null,
      nested: { deep: { flag: true } },
    });
    expect(await firstValueFrom(client.send('calc.later', 21))).toBe(42);
    expect(await lastValueFrom(client.send('calc.count', 4).pipe(toArray()))).toEqual([0, 1, 2, 3]);
    expect(await lastValueFrom(client.send('calc.nothing', {}).pipe(toArray()))).toEqual([]);
    expect(await firstValueFrom(client.send('calc.echo', 'plain text'))).toBe('plain text');
    expect(await firstValueFrom(client.send('calc.echo', 0))).toBe(0);
    expect(await firstValueFrom(client.send('calc.echo', false))).toBe(false);

    // Requests in parallel are each answered with their own reply.
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => firstValueFrom(client.send('calc.sum', [i, 1000]))),
    );
    expect(answers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1000));
    expect(client.pendingRequests).toBe(0);
  });

  it('carries the envelope: id, pattern, data and meta with replyTo and a deadline (default 5 s)', async () => {
    const { server } = await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });

    const answer = (await firstValueFrom(client.send('calc.inspect', { a: [1, 'b'] }))) as { data: unknown } & Seen;
    expect(answer.data).toEqual({ a: [1, 'b'] });
    expect(answer.messageId).toMatch(UUID);
    expect(answer.stream).toBe(harness.key('req:calc'));
    expect(answer.deliveries).toBe(1);
    expect(answer.meta).toMatchObject({
      origin: 'tester',
      correlationId: answer.messageId,
      causationId: null,
      replyTo: client.replyStream,
    });
    expect(answer.meta.traceparent).toMatch(TRACEPARENT);
    expect(timeoutOf(answer.meta)).toBe(5_000);

    // As stored in Redis: fields id, pattern, data (JSON) and meta (JSON).
    const [entry] = (await harness.entries(server.keys.requests('calc'))).filter((e) => e.id === answer.entryId);
    expect(entry?.fields).toEqual({
      id: answer.messageId,
      pattern: 'calc.inspect',
      data: JSON.stringify({ a: [1, 'b'] }),
      meta: expect.any(String),
    });
    expect(JSON.parse(entry?.fields.meta as string)).toEqual(answer.meta);
    expect(client.replyStream).toBe(harness.key(`rep:tester:${client.settings.instanceId}`));
  });

  it("carries headers both ways: the handler's reply headers to the caller that asks, the caller's request headers to the handler", async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });
    const seen: Record<string, string>[] = [];
    const onHeaders = (headers: Readonly<Record<string, string>>) => void seen.push({ ...headers });

    expect(await firstValueFrom(client.send('calc.signed', 7, { onHeaders }))).toBe(7);
    expect((await failureOf(client.send('calc.signed', -1, { onHeaders }))).code).toBe('NEGATIVE');
    // A handler that sets none: nothing is called.
    expect(await firstValueFrom(client.send('calc.sum', [1, 2], { onHeaders }))).toBe(3);
    expect(await firstValueFrom(client.send('calc.signed-lazily', 4, { onHeaders }))).toBe(4);
    expect(seen).toEqual([
      { 'x-answered-by': 'calculator-7' },
      { 'x-answered-by': 'calculator--1' },
      { 'x-answered-by': 'lazy-4' },
    ]);
    // Callers that do not ask are answered as before.
    expect(await firstValueFrom(client.send('calc.signed', 3))).toBe(3);

    // The other way: the caller's request headers reach the handler.
    const headers = { 'x-ficus-await': 'payments:customer:c1:3' };
    expect(await firstValueFrom(client.send('calc.headers', {}, { headers }))).toEqual(headers);
    expect(await firstValueFrom(client.send('calc.headers', {}))).toEqual({});
  });

  it("brings a handler's error back with its code", async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });

    const missing = await failureOf(client.send('calc.missing-order', 7));
    expect(missing).toBeInstanceOf(RedisStreamsRemoteError);
    expect(missing).toBeInstanceOf(RpcException);
    expect(missing.code).toBe('ORDER_NOT_FOUND');
    expect((missing as RedisStreamsRemoteError).body).toMatchObject({ status: 'error', message: 'No order 7.' });

    const crash = await failureOf(client.send('calc.crash', {}));
    expect(crash).toBeInstanceOf(RedisStreamsRemoteError);
    expect(crash.code).toBe('INTERNAL_ERROR');
    expect((crash as RedisStreamsRemoteError).body.message).not.toContain('something internal broke');

    // An observable that fails after some values: the values arrive, then the error.
    const values: number[] = [];
    const halfway = await new Promise<unknown>((resolve) =>
      client.send<number>('calc.fail-halfway', {}).subscribe({
        next: (value) => values.push(value),
        error: resolve,
        complete: () => resolve(new Error('completed')),
      }),
    );
    expect(values).toEqual([1, 2]);
    expect((halfway as RedisStreamsRemoteError).code).toBe('HALFWAY');

    // The service still answers afterwards.
    expect(await firstValueFrom(client.send('calc.sum', [1]))).toBe(1);
  });

  it('answers a request nobody handles with STREAMS_NO_HANDLER and acknowledges it', async () => {
    const { server } = await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });

    const unknown = await failureOf(client.send('calc.unknown', {}));
    expect(unknown).toBeInstanceOf(RedisStreamsRemoteError);
    expect(unknown.code).toBe('STREAMS_NO_HANDLER');
    // A pattern this service only handles as an event is no request handler either.
    expect((await failureOf(client.send('calc.happened', {}))).code).toBe('STREAMS_NO_HANDLER');
    await eventually(async () => (await harness.pending(server.keys.requests('calc'), 'calc')).count === 0);
  });

  it('fails send() at once without a target service, or without pattern or data', async () => {
    const client = await harness.client({ origin: 'tester' });
    const noTarget = await failureOf(client.send('calc.sum', [1]));
    expect(noTarget).toBeInstanceOf(StreamsError);
    expect(noTarget.code).toBe('STREAMS_NO_TARGET');
    const withTarget = await harness.client({ origin: 'tester', service: 'calc' });
    expect((await failureOf(withTarget.send('calc.sum', undefined))).code).toBe('STREAMS_INVALID_MESSAGE');
    expect((await failureOf(withTarget.send('calc.sum', [1], { timeoutMs: 0 }))).code).toBe('STREAMS_OPTIONS_INVALID');
  });

  it('times out at the deadline (per call, or the client default) and withdraws the request', async () => {
    const clock = new ManualClock();
    const { server } = await harness.service([CalculatorController], { service: 'calc', clock });
    const client = await harness.client({ origin: 'tester', service: 'calc', clock });
    const requests = server.keys.requests('calc');

    const perCall = failureOf(client.send('calc.slow', { n: 1 }, { timeoutMs: 300 }));
    await eventually(() => state.slowSeen.length === 1);
    await clock.advance(299);
    expect(client.pendingRequests).toBe(1);
    await clock.advance(1);
    const timedOut = await perCall;
    expect(timedOut).toBeInstanceOf(StreamsError);
    expect(timedOut.code).toBe('STREAMS_REQUEST_TIMEOUT');
    expect(client.pendingRequests).toBe(0);
    const [first] = state.slowSeen;
    expect(timeoutOf(first?.meta)).toBe(300);
    // The request entry is deleted once nobody waits for it.
    await eventually(async () => (await harness.entries(requests)).every((e) => e.id !== first?.entryId));

    const quick = await harness.client({ origin: 'tester', service: 'calc', requestTimeoutMs: 200, clock });
    const byDefault = failureOf(quick.send('calc.slow', { n: 2 }));
    await eventually(() => state.slowSeen.length === 2);
    await clock.advance(199);
    expect(quick.pendingRequests).toBe(1);
    await clock.advance(1);
    expect((await byDefault).code).toBe('STREAMS_REQUEST_TIMEOUT');
    expect(timeoutOf(state.slowSeen[1]?.meta)).toBe(200);
    await eventually(async () => (await harness.entries(requests)).every((e) => e.id !== state.slowSeen[1]?.entryId));

    // The late answers go nowhere; the clients are not confused by them.
    state.slow.open('late');
    await eventually(async () => (await harness.pending(requests, 'calc')).count === 0);
    expect(client.pendingRequests).toBe(0);
    expect(await firstValueFrom(client.send('calc.sum', [2, 2]))).toBe(4);
  });

  it('withdraws a request that timed out before any instance was running', async () => {
    const client = await harness.client({ origin: 'tester', service: 'calc-offline' });
    const timedOut = await failureOf(client.send('calc.expire-me', {}, { timeoutMs: 150 }));
    expect(timedOut.code).toBe('STREAMS_REQUEST_TIMEOUT');
    const requests = harness.key('req:calc-offline');
    await eventually(async () => (await harness.length(requests)) === 0, 2_000, 'the request to be deleted');

    await harness.service([CalculatorController], { service: 'calc-offline' });
    expect(await firstValueFrom(client.send('calc.sum', [5]))).toBe(5);
    expect(state.expiredRuns).toBe(0);
  });

  it('acknowledges a request past its deadline without running the handler', async () => {
    const metrics = new Registry();
    const { server } = await harness.service([CalculatorController], { service: 'calc', metrics });
    const client = await harness.client({ origin: 'tester', service: 'calc' });
    expect(await firstValueFrom(client.send('calc.sum', [1]))).toBe(1); // the reply stream exists

    // A request whose caller gave up a second ago (as if it waited in the stream too long).
    const requests = server.keys.requests('calc');
    const late = createEnvelope('calc.expire-me', {}, 'tester', {
      replyTo: client.replyStream,
      deadline: new Date(Date.now() - 1_000),
    });
    const entryId = String(await harness.redis.sendCommand(['XADD', requests, '*', ...encodeEnvelope(late)]));

    const expired = async () =>
      (await metrics.getSingleMetric('streams_requests_expired_total')?.get())?.values.find(
        (v) => v.labels.pattern === 'calc.expire-me',
      )?.value ?? 0;
    await eventually(async () => (await expired()) === 1, 5_000, 'the expired request to be skipped');
    await eventually(async () => (await harness.pending(requests, 'calc')).count === 0);
    const groups = (await harness.redis.sendCommand(['XINFO', 'GROUPS', requests])) as unknown[][];
    expect(groups[0]).toEqual(expect.arrayContaining(['last-delivered-id', entryId]));
    expect(state.expiredRuns).toBe(0);
    expect(await firstValueFrom(client.send('calc.sum', [2]))).toBe(2);
    expect(state.expiredRuns).toBe(0);
  });

  it('delivers replies only to the client instance that asked', async () => {
    await harness.service([CalculatorController], { service: 'calc', concurrency: 8 });
    const one = await harness.client({ origin: 'twin', service: 'calc' });
    const two = await harness.client({ origin: 'twin', service: 'calc' });
    expect(one.replyStream).not.toBe(two.replyStream);

    const ask = (client: typeof one, name: string) =>
      Promise.all(Array.from({ length: 25 }, (_, i) => firstValueFrom(client.send('calc.echo', { name, i }))));
    const [fromOne, fromTwo] = await Promise.all([ask(one, 'one'), ask(two, 'two')]);
    expect(fromOne).toEqual(Array.from({ length: 25 }, (_, i) => ({ name: 'one', i })));
    expect(fromTwo).toEqual(Array.from({ length: 25 }, (_, i) => ({ name: 'two', i })));
    expect(one.pendingRequests + two.pendingRequests).toBe(0);
  });

  it('gives each reply stream an expiry and deletes it when the client closes', async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const emitter = await harness.client({ origin: 'emitter' });
    await lastValueFrom(emitter.emit('calc.happened', {}));
    const client = await harness.client({ origin: 'tester', service: 'calc', replyTtlMs: 20_000 });
    expect(await harness.redis.exists(client.replyStream)).toBe(0);

    expect(await firstValueFrom(client.send('calc.sum', [1, 1]))).toBe(2);
    expect(await harness.redis.exists(client.replyStream)).toBe(1);
    const ttl = await harness.redis.pTTL(client.replyStream);
    expect(ttl).toBeGreaterThan(15_000);
    expect(ttl).toBeLessThanOrEqual(20_000);
    // A client that only emits has no reply stream.
    expect((await harness.keys()).filter((key) => key.includes(':rep:emitter:'))).toEqual([]);

    await client.close();
    expect(await harness.redis.exists(client.replyStream)).toBe(0);
    expect((await failureOf(client.send('calc.sum', [1]))).code).toBe('STREAMS_CLIENT_CLOSED');
  });

  it('keeps even a short-lived reply stream alive while the client is open', async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc', replyTtlMs: 900 });
    expect(await firstValueFrom(client.send('calc.sum', [1]))).toBe(1);
    const until = Date.now() + 1_600;
    while (Date.now() < until) {
      expect(await harness.redis.exists(client.replyStream)).toBe(1);
      expect(await harness.redis.pTTL(client.replyStream)).toBeLessThanOrEqual(900);
      await sleep(50);
    }
    expect(await firstValueFrom(client.send('calc.sum', [2]))).toBe(2);
  });

  it('fails requests still waiting when the client closes', async () => {
    await harness.service([CalculatorController], { service: 'calc' });
    const client = await harness.client({ origin: 'tester', service: 'calc' });
    const waiting = failureOf(client.send('calc.slow', {}, { timeoutMs: 10_000 }));
    await eventually(() => state.slowSeen.length === 1);
    const started = Date.now();
    await client.close();
    const error = await waiting;
    expect(error.code).toBe('STREAMS_CLIENT_CLOSED');
    // At once, not at its 10 s deadline.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
