import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { HealthIndicatorService } from '@nestjs/terminus';
import { createClient } from 'redis';
import { type Observable, firstValueFrom, lastValueFrom } from 'rxjs';
import {
  RedisStreamsClient,
  RedisStreamsContext,
  RedisStreamsHealthIndicator,
  type RedisStreamsStatus,
  StreamsError,
} from '@app/redis-streams';
import { RedisProcess } from '../../../tools/testing/redis-process';
import { StreamsHarness, eventually, failureOf, latch } from './support/streams-harness';

const state = {
  hold: latch(),
  holding: 0,
  ticks: [] as { n: number; messageId: string }[],
};

@Controller()
class OutageController {
  @MessagePattern('outage.ping')
  ping(@Payload() n: number): number {
    return n + 1;
  }

  @MessagePattern('outage.hold')
  async hold(): Promise<string> {
    state.holding++;
    await state.hold.promise;
    return 'held';
  }

  @EventPattern<string>('outage.tick')
  tick(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): void {
    state.ticks.push({ n: data.n, messageId: context.getMessageId() });
  }
}

const fast = { reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 200 };

function record(source: { status: Observable<RedisStreamsStatus> }): string[] {
  const seen: string[] = [];
  source.status.subscribe((status) => seen.push(status));
  return seen;
}

/** Whether `wanted` occurs in `seen` in this order (other statuses may come between). */
function containsInOrder(seen: readonly string[], wanted: readonly string[]): boolean {
  let next = 0;
  for (const status of seen) if (status === wanted[next]) next++;
  return next === wanted.length;
}

const ticked = (n: number) => state.ticks.some((t) => t.n === n);

describe('when Redis goes away', () => {
  const harness = new StreamsHarness();
  let redis: RedisProcess | undefined;
  beforeAll(() => harness.start());
  afterEach(async () => {
    state.hold.open();
    await harness.reset();
    await redis?.stop();
    redis = undefined;
    state.hold = latch();
    state.holding = 0;
    state.ticks = [];
  });
  afterAll(() => harness.cleanup());

  it('fails fast while it is down, reports its status, and recovers after a restart that lost every key', async () => {
    redis = await RedisProcess.start();
    const { server } = await harness.service([OutageController], { service: 'outage', url: redis.url, ...fast });
    const client = await harness.client({ origin: 'caller', service: 'outage', url: redis.url, ...fast });
    const health = new RedisStreamsHealthIndicator(new HealthIndicatorService());
    const serverStatus = record(server);
    const clientStatus = record(client);

    expect(await firstValueFrom(client.send('outage.ping', 1))).toBe(2);
    await lastValueFrom(client.emit('outage.tick', { n: 1 }));
    await eventually(() => ticked(1));
    expect((await health.check('streams', server)).streams.status).toBe('up');
    await eventually(() => serverStatus.at(-1) === 'connected' && clientStatus.at(-1) === 'connected');

    // A request in flight when the connection drops fails at once, not at its deadline.
    const inFlight = failureOf(client.send('outage.hold', {}, { timeoutMs: 10_000 }));
    await eventually(() => state.holding === 1);
    let started = Date.now();
    await redis.kill();
    const lost = await inFlight;
    expect(lost).toBeInstanceOf(StreamsError);
    expect(lost.code).toBe('STREAMS_CONNECTION_LOST');
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually(() => clientStatus.at(-1) === 'reconnecting' && serverStatus.at(-1) === 'reconnecting');

    // While it is down: send() and emit() fail fast (well before the request's deadline), the health check says down.
    started = Date.now();
    const refused = await failureOf(client.send('outage.ping', 2, { timeoutMs: 10_000 }));
    expect(refused.code).toBe('STREAMS_CONNECTION_LOST');
    expect(Date.now() - started).toBeLessThan(5_000);
    const notStored = await failureOf(client.emit('outage.tick', { n: 2 }));
    expect(notStored).toBeInstanceOf(StreamsError);
    expect(notStored.code).toBe('STREAMS_CONNECTION_LOST');
    const down = await health.check('streams', server);
    expect(down.streams.status).toBe('down');
    expect(down.streams).toMatchObject({ message: expect.stringContaining('Redis') });

    // Back, empty (no persistence): groups and streams are made again, without restarting anything.
    await redis.restart();
    await eventually(
      () => clientStatus.at(-1) === 'connected' && serverStatus.at(-1) === 'connected',
      5_000,
      'connected',
    );
    expect(await firstValueFrom(client.send('outage.ping', 3))).toBe(4);
    await lastValueFrom(client.emit('outage.tick', { n: 3 }));
    await eventually(() => ticked(3), 5_000, 'the event after the restart');
    expect(ticked(2)).toBe(false);
    await eventually(async () => (await health.check('streams', server)).streams.status === 'up');
    for (const seen of [clientStatus, serverStatus]) {
      expect(containsInOrder(seen, ['connected', 'reconnecting', 'connected'])).toBe(true);
    }
  });
  it('recovers a client whose first connection and first request failed while Redis was down', async () => {
    redis = await RedisProcess.start();
    const { server } = await harness.service([OutageController], { service: 'outage', url: redis.url, ...fast });
    const serverStatus = record(server);
    const client = new RedisStreamsClient({
      origin: 'late',
      service: 'outage',
      url: redis.url,
      prefix: harness.prefix,
      ...fast,
    });
    harness.defer(() => client.close());
    const clientStatus = record(client);
    const connected = () => clientStatus.at(-1) === 'connected' && serverStatus.at(-1) === 'connected';
    const restart = async () => {
      await redis?.kill();
      await eventually(() => serverStatus.at(-1) === 'reconnecting');
      await redis?.restart();
    };

    // Redis is down when the client first connects: it fails, and connects later once Redis is back.
    await redis.kill();
    await expect(client.connect()).rejects.toMatchObject({ code: 'STREAMS_CONNECTION_LOST' });
    await redis.restart();
    await client.connect();
    await lastValueFrom(client.emit('outage.tick', { n: 1 }));
    await eventually(connected, 5_000, 'the client to report connected after its failed first attempt');

    // Redis is down at its first request (the reply stream is opened then): that fails, a later one works.
    await redis.kill();
    await eventually(() => clientStatus.at(-1) !== 'connected' && serverStatus.at(-1) !== 'connected');
    expect((await failureOf(client.send('outage.ping', 1))).code).toBe('STREAMS_CONNECTION_LOST');
    await redis.restart();
    const failures: (string | undefined)[] = [];
    await eventually(
      async () =>
        (await firstValueFrom(client.send('outage.ping', 1, { timeoutMs: 1_000 })).catch((error: StreamsError) => {
          failures.push(error.code);
          return 0;
        })) === 2,
      5_000,
      'a request to be answered after the restart',
    );
    // While it comes back, requests fail with the transport's own errors only.
    expect(failures.filter((code) => code !== 'STREAMS_CONNECTION_LOST' && code !== 'STREAMS_REQUEST_TIMEOUT')).toEqual(
      [],
    );
    await eventually(connected, 5_000, 'the client to report connected after its failed first request');

    // ...and the reply stream is made again after yet another restart that lost it.
    await restart();
    await eventually(connected, 5_000, 'connected again');
    expect(await firstValueFrom(client.send('outage.ping', 2, { timeoutMs: 2_000 }))).toBe(3);
  });
  it('fails with STREAMS_CONNECTION_LOST while a connection still waits to reconnect after Redis is back', async () => {
    redis = await RedisProcess.start();
    await harness.service([OutageController], { service: 'outage', url: redis.url, ...fast });
    // Slow to reconnect: after Redis went away, its connection stays offline for 1.25 to 2.5 s.
    const slow = { reconnectBaseDelayMs: 2_500, reconnectMaxDelayMs: 2_500 };
    const client = await harness.client({ origin: 'slow', service: 'outage', url: redis.url, ...slow });
    const clientStatus = record(client);

    await redis.kill();
    await eventually(() => clientStatus.at(-1) === 'reconnecting');
    await redis.restart();
    // Redis answers again, but this client's connection is still offline.
    const refused = await failureOf(client.send('outage.ping', 1));
    expect(refused).toBeInstanceOf(StreamsError);
    expect(refused.code).toBe('STREAMS_CONNECTION_LOST');
    expect((await failureOf(client.emit('outage.tick', { n: 1 }))).code).toBe('STREAMS_CONNECTION_LOST');
    // Both failed at once, not after waiting for the reconnect: the connection has not come back yet.
    expect(clientStatus.at(-1)).toBe('reconnecting');

    await eventually(() => clientStatus.at(-1) === 'connected', 8_000, 'the client to reconnect');
    expect(await firstValueFrom(client.send('outage.ping', 1))).toBe(2);

    // Closing it leaves no connection behind, not even the one of the failed attempt.
    const named = async () => {
      const admin = createClient({ url: redis?.url });
      await admin.connect();
      try {
        const list = await admin.sendCommand(['CLIENT', 'LIST']);
        return String(list)
          .split('\n')
          .filter((line) => line.includes(client.settings.instanceId));
      } finally {
        await admin.quit();
      }
    };
    expect(await named()).toHaveLength(2); // commands and replies
    await client.close();
    await eventually(async () => (await named()).length === 0, 2_000, 'every connection of the client to close');
  });
});

describe('when the consumer group is lost', () => {
  const harness = new StreamsHarness();
  beforeAll(() => harness.start());
  afterEach(async () => {
    await harness.reset();
    state.ticks = [];
  });
  afterAll(() => harness.cleanup());

  it('makes the group (and the stream) again and goes on, without restarting the app', async () => {
    await harness.service([OutageController], { service: 'regroup', ...fast });
    const client = await harness.client({ origin: 'caller', service: 'regroup' });
    const events = harness.key('evt:outage.tick');
    const requests = harness.key('req:regroup');

    await lastValueFrom(client.emit('outage.tick', { n: 1 }));
    expect(await firstValueFrom(client.send('outage.ping', 1))).toBe(2);
    await eventually(() => ticked(1));

    expect(await harness.redis.sendCommand(['XGROUP', 'DESTROY', events, 'regroup'])).toBe(1);
    expect(await harness.redis.sendCommand(['XGROUP', 'DESTROY', requests, 'regroup'])).toBe(1);
    await lastValueFrom(client.emit('outage.tick', { n: 2 }));
    await eventually(() => ticked(2), 5_000, 'an event after the group was destroyed');
    expect(await firstValueFrom(client.send('outage.ping', 2))).toBe(3);

    // The stream itself deleted.
    await harness.redis.del([events, requests]);
    await lastValueFrom(client.emit('outage.tick', { n: 3 }));
    await eventually(() => ticked(3), 5_000, 'an event after the stream was deleted');
    expect(await firstValueFrom(client.send('outage.ping', 3))).toBe(4);
    await eventually(async () => (await harness.pending(events, 'regroup')).count === 0);
  });
});
