import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { DomainError } from '@app/service-defaults';
import { RedisStreamsContext, RedisStreamsHealthIndicator, createEnvelope, encodeEnvelope } from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, failureOf, latch } from './support/streams-harness';

const state = { hold: latch(), held: 0, done: 0 };

@Controller()
class HealthController {
  @EventPattern<string>('health.job')
  async job(): Promise<void> {
    state.held++;
    await state.hold.promise;
    state.done++;
  }

  @EventPattern<string>('health.poison')
  poison(): never {
    throw new DomainError('BROKEN', 'Always fails.');
  }
}

@Controller()
class SlowController {
  @MessagePattern('health.slow')
  async slow(): Promise<string> {
    state.held++;
    await state.hold.promise;
    return 'slow';
  }
}

@Controller()
class MeteredController {
  @MessagePattern('metered.ask')
  ask(@Payload() n: number): number {
    if (n < 0) throw new DomainError('NEGATIVE', 'No negatives.');
    return n;
  }

  @EventPattern<string>('metered.told')
  told(@Payload() data: { fail: 'never' | 'once' | 'always' }, @Ctx() context: RedisStreamsContext): void {
    if (data.fail === 'always' || (data.fail === 'once' && context.getDeliveryCount() === 1)) {
      throw new Error('it fails');
    }
  }
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  if (!metric) throw new Error(`no metric ${name}`);
  return metric.values
    .filter((v) => Object.entries(labels).every(([key, expected]) => String(v.labels[key]) === expected))
    .reduce((sum, v) => sum + v.value, 0);
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('health and metrics on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(async () => {
    state.hold.open();
    await harness.reset();
    state.hold = latch();
    state.held = 0;
    state.done = 0;
  });
  afterAll(() => harness.cleanup());

  it('reports pending, lag and dead letters, and goes down past its limits', async () => {
    const { app, server } = await harness.service(
      [HealthController],
      { service: 'healthy', concurrency: 1, maxDeliveries: 1 },
      [HealthIndicatorService, RedisStreamsHealthIndicator],
    );
    const health = app.get(RedisStreamsHealthIndicator);
    const client = await harness.client({ origin: 'prober' });
    const jobs = harness.key('evt:health.job');

    expect(await health.check('streams', server)).toEqual({
      streams: {
        status: 'up',
        streams: expect.arrayContaining([{ stream: jobs, pending: 0, lag: 0 }]),
        deadLetters: 0,
      },
    });

    for (let n = 0; n < 5; n++) await lastValueFrom(client.emit('health.job', { n }));
    await eventually(() => state.held === 1);
    await eventually(async () => {
      const state = await server.inspect();
      return state.streams.find((s) => s.stream === jobs)?.lag === 4;
    });
    expect((await server.inspect()).streams.find((s) => s.stream === jobs)).toEqual({
      stream: jobs,
      pending: 1,
      lag: 4,
    });

    expect((await health.check('streams', server, { maxPending: 1, maxLag: 4 })).streams.status).toBe('up');
    const tooMuch = await health.check('streams', server, { maxPending: 0, maxLag: 3 });
    expect(tooMuch.streams).toMatchObject({
      status: 'down',
      problems: [`${jobs}: 1 pending (limit 0)`, `${jobs}: lag 4 (limit 3)`],
    });

    await lastValueFrom(client.emit('health.poison', {}));
    state.hold.open();
    await eventually(async () => (await server.inspect()).deadLetters === 1, 5_000, 'the dead letter');
    expect((await health.check('streams', server)).streams.status).toBe('up');
    const dead = await health.check('streams', server, { maxDeadLetters: 0 });
    expect(dead.streams).toMatchObject({ status: 'down', deadLetters: 1, problems: ['1 dead letters (limit 0)'] });

    await eventually(() => state.done === 5);
    await eventually(async () => (await server.inspect()).streams.every((s) => s.pending === 0 && s.lag === 0));

    await harness.closeAll();
    expect((await health.check('streams', server)).streams.status).toBe('down');
  });

  it('says the lag is unknown (null) when Redis cannot tell it', async () => {
    const { server } = await harness.service([SlowController], { service: 'lagless', concurrency: 1 });
    const client = await harness.client({ origin: 'prober', service: 'lagless' });
    const requests = harness.key('req:lagless');

    const first = firstValueFrom(client.send('health.slow', {}, { timeoutMs: 10_000 })).catch(
      (error: unknown) => error,
    );
    await eventually(() => state.held === 1);
    // Waits behind the first, times out, and is deleted before any consumer read it.
    expect((await failureOf(client.send('health.slow', {}, { timeoutMs: 100 }))).code).toBe('STREAMS_REQUEST_TIMEOUT');
    await eventually(async () => (await harness.length(requests)) === 1);

    const [group] = (await harness.redis.sendCommand(['XINFO', 'GROUPS', requests])) as unknown[][];
    const raw = group?.[(group?.indexOf('lag') ?? 0) + 1];
    expect(raw).toBeNull(); // a deleted entry the group has not read yet: Redis cannot count
    const { streams } = await server.inspect();
    expect(streams.find((s) => s.stream === requests)).toEqual({ stream: requests, pending: 1, lag: null });
    state.hold.open();
    expect(await first).toBe('slow');
  });

  it('counts messages, failures, retries, dead letters, expiries and durations', async () => {
    const metrics = new Registry();
    await harness.service([MeteredController], {
      service: 'metered',
      metrics,
      maxDeliveries: 2,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 20,
    });
    const client = await harness.client({ origin: 'counter', service: 'metered', metrics });

    expect(await firstValueFrom(client.send('metered.ask', 1))).toBe(1);
    expect(await firstValueFrom(client.send('metered.ask', 2))).toBe(2);
    expect((await failureOf(client.send('metered.ask', -1))).code).toBe('NEGATIVE');
    const absent = await harness.client({ origin: 'counter', service: 'metered-absent', metrics });
    expect((await failureOf(absent.send('metered.nobody', 1, { timeoutMs: 50 }))).code).toBe('STREAMS_REQUEST_TIMEOUT');
    await lastValueFrom(client.emit('metered.told', { fail: 'never' }));
    await lastValueFrom(client.emit('metered.told', { fail: 'once' }));
    await lastValueFrom(client.emit('metered.told', { fail: 'always' }));
    // A request whose deadline passed before it was read.
    const late = createEnvelope('metered.late', 1, 'counter', { deadline: new Date(Date.now() - 1) });
    await harness.redis.sendCommand(['XADD', harness.key('req:metered'), '*', ...encodeEnvelope(late)]);
    await eventually(async () => (await value(metrics, 'streams_messages_dead_lettered_total')) === 1);
    await eventually(async () => (await value(metrics, 'streams_requests_expired_total')) === 1);
    await eventually(
      async () => (await value(metrics, 'streams_messages_acknowledged_total', { kind: 'event' })) === 2,
    );

    const ask = { pattern: 'metered.ask' };
    const told = { pattern: 'metered.told' };
    expect(await value(metrics, 'streams_messages_published_total', { ...ask, kind: 'request' })).toBe(3);
    expect(await value(metrics, 'streams_messages_published_total', { ...ask, kind: 'reply' })).toBe(3);
    expect(await value(metrics, 'streams_messages_published_total', { ...told, kind: 'event' })).toBe(3);
    expect(await value(metrics, 'streams_messages_received_total', { ...ask, kind: 'request' })).toBe(3);
    expect(await value(metrics, 'streams_messages_received_total', { ...told, kind: 'event' })).toBe(5);
    expect(await value(metrics, 'streams_messages_acknowledged_total', { ...ask, kind: 'request' })).toBe(3);
    expect(await value(metrics, 'streams_messages_failed_total', told)).toBe(3);
    expect(await value(metrics, 'streams_messages_retried_total', told)).toBe(2);
    expect(await value(metrics, 'streams_messages_dead_lettered_total', { ...told, kind: 'event' })).toBe(1);
    // metered.late has no handler here: patterns a service does not handle are labelled 'unknown'.
    expect(await value(metrics, 'streams_requests_expired_total', { pattern: 'unknown' })).toBe(1);
    expect(await value(metrics, 'streams_handler_duration_seconds', { ...told, le: '+Inf' })).toBe(5);
    expect(await value(metrics, 'streams_handler_duration_seconds', { ...ask, le: '+Inf' })).toBe(3);
    expect(await value(metrics, 'streams_request_duration_seconds', { ...ask, outcome: 'ok', le: '+Inf' })).toBe(2);
    expect(await value(metrics, 'streams_request_duration_seconds', { ...ask, outcome: 'error', le: '+Inf' })).toBe(1);
    expect(
      await value(metrics, 'streams_request_duration_seconds', {
        pattern: 'metered.nobody',
        outcome: 'timeout',
        le: '+Inf',
      }),
    ).toBe(1);

    const text = await metrics.metrics();
    for (const name of [
      'streams_messages_received_total',
      'streams_messages_acknowledged_total',
      'streams_messages_failed_total',
      'streams_messages_retried_total',
      'streams_messages_dead_lettered_total',
      'streams_requests_expired_total',
      'streams_handler_duration_seconds',
      'streams_request_duration_seconds',
      'streams_messages_published_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
