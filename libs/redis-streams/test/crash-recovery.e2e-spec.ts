import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ManualClock, RedisStreamsContext } from '@app/redis-streams';
import { type ConsumerMessage, ConsumerProcess } from './support/consumer-process';
import { RedisTargets, StreamsHarness, eventually, latch } from './support/streams-harness';

interface Rescued {
  kind: 'request' | 'event';
  data: { n: number };
  messageId: string;
  deliveries: number;
}

let rescued: Rescued[] = [];
/** While closed, the event handler waits (its entries stay pending on its consumer). */
let gate = latch();
let gateOpen = true;
let held = 0;

@Controller()
class RescueController {
  @MessagePattern('crash.ask')
  ask(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext) {
    rescued.push({ kind: 'request', data, messageId: context.getMessageId(), deliveries: context.getDeliveryCount() });
    return { answer: data.n * 2, deliveries: context.getDeliveryCount() };
  }

  @EventPattern<string>('crash.job')
  async job(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): Promise<void> {
    if (!gateOpen) {
      held++;
      await gate.promise;
    }
    rescued.push({ kind: 'event', data, messageId: context.getMessageId(), deliveries: context.getDeliveryCount() });
  }
}

type Handling = Extract<ConsumerMessage, { type: 'handling' }>;
type Ready = Extract<ConsumerMessage, { type: 'ready' }>;

const handlingOf = (consumer: ConsumerProcess | undefined) =>
  consumer?.messages.filter((m): m is Handling => m.type === 'handling') ?? [];

/** The entries pending on a group, with their consumer and idle time. */
async function pendingEntries(harness: StreamsHarness, stream: string, group: string) {
  const rows = (await harness.redis.sendCommand(['XPENDING', stream, group, '-', '+', '1000'])) as [
    string,
    string,
    number,
    number,
  ][];
  return rows.map(([id, consumer, idle, deliveries]) => ({ id, consumer, idle: Number(idle), deliveries }));
}

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

describe.each(targets.all)('a consumer killed while handling on $name', (target) => {
  const harness = new StreamsHarness(target);
  let victim: ConsumerProcess | undefined;
  let bystander: ConsumerProcess | undefined;
  beforeAll(() => harness.start());
  afterEach(async () => {
    await victim?.kill();
    await bystander?.kill();
    victim = undefined;
    bystander = undefined;
    gate.open();
    gate = latch();
    gateOpen = true;
    held = 0;
    await harness.reset();
    rescued = [];
  });
  const processEnv = {
    get REDIS_URL() {
      return harness.url;
    },
    SERVICE: 'crashy',
    EVENT_PATTERN: 'crash.job',
    REQUEST_PATTERN: 'crash.ask',
  };
  afterAll(() => harness.cleanup());

  it('leaves its messages pending; once idle for claimIdleMs a live instance claims and handles every one of them', async () => {
    const events = harness.key('evt:crash.job');
    const requests = harness.key('req:crashy');
    const client = await harness.client({ origin: 'caller', service: 'crashy' });
    for (let n = 0; n < 6; n++) await lastValueFrom(client.emit('crash.job', { n }));
    const answer = firstValueFrom(
      client.send<{ answer: number; deliveries: number }>('crash.ask', { n: 21 }, { timeoutMs: 30_000 }),
    );

    victim = await ConsumerProcess.start({
      ...processEnv,
      REDIS_PREFIX: harness.prefix,
      // Its liveness key outlives the test: only the idle claim (the fallback) can rescue its messages.
      LIVENESS_TTL_MS: '600000',
      CLIENT_ORIGIN: 'doomed',
      CLIENT_REPLY_TTL_MS: '1500',
    });
    const handling = () => handlingOf(victim);
    await eventually(() => handling().length === 7, 10_000, 'the victim to start handling everything');
    const { consumer } = (await victim.waitFor((m) => m.type === 'ready')) as { consumer: string };
    const { replyStream } = (await victim.waitFor((m) => m.type === 'client')) as { replyStream: string };
    await eventually(async () => (await harness.redis.exists(replyStream)) === 1);
    expect(await harness.redis.pTTL(replyStream)).toBeLessThanOrEqual(1_500);

    await victim.kill();
    // Nothing was acknowledged: all of it is still pending on the dead consumer.
    expect(await harness.pending(events, 'crashy')).toEqual({ count: 6, consumers: { [consumer]: 6 } });
    expect(await harness.pending(requests, 'crashy')).toEqual({ count: 1, consumers: { [consumer]: 1 } });

    const clock = new ManualClock();
    const { server } = await harness.service([RescueController], {
      service: 'crashy',
      claimIdleMs: 300,
      claimIntervalMs: 100,
      retryMaxDelayMs: 100,
      clock,
    });
    expect(server.consumer).not.toBe(consumer);
    // Redis measures the idle time: wait until it passed claimIdleMs, then let a claim pass run.
    await eventually(
      async () => (await pendingEntries(harness, events, 'crashy')).every((e) => e.idle >= 300),
      5_000,
      'the dead consumer’s messages to be idle for claimIdleMs',
    );
    await clock.advance(100);

    // The caller, still waiting, gets its answer from the instance that claimed the request.
    expect(await answer).toEqual({ answer: 42, deliveries: 2 });
    await eventually(() => rescued.length === 7, 10_000, 'every message to be claimed and handled');
    await eventually(async () => (await harness.pending(events, 'crashy')).count === 0);
    // Another whole claim pass (each advance waits for the pass it starts) claims nothing more.
    await clock.advance(100);
    expect(rescued).toHaveLength(7);
    expect(
      rescued
        .filter((r) => r.kind === 'event')
        .map((r) => r.data.n)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(rescued.map((r) => r.messageId))).toEqual(new Set(handling().map((h) => h.messageId)));
    expect(rescued.every((r) => r.deliveries === 2)).toBe(true);
    await eventually(async () => (await harness.pending(requests, 'crashy')).count === 0);

    // The dead client's reply stream expires by itself.
    await eventually(async () => (await harness.redis.exists(replyStream)) === 0, 10_000, 'the reply stream to expire');
  });

  it('takes over a killed consumer’s messages as soon as its liveness key expires, not after claimIdleMs; a live one keeps its own', async () => {
    const events = harness.key('evt:crash.job');
    const client = await harness.client({ origin: 'caller', service: 'crashy' });
    const env = { ...processEnv, REDIS_PREFIX: harness.prefix, CLAIM_IDLE_MS: '600000' };
    // The victim's three slots are all busy with three events, so it reads nothing more...
    victim = await ConsumerProcess.start({
      ...env,
      CONCURRENCY: '3',
      LIVENESS_TTL_MS: '1000',
      HEARTBEAT_INTERVAL_MS: '200',
    });
    for (let n = 0; n < 3; n++) await lastValueFrom(client.emit('crash.job', { n }));
    await eventually(() => handlingOf(victim).length === 3, 10_000, 'the victim to hold three events');
    // ...and the bystander, alive all along, takes the next two.
    bystander = await ConsumerProcess.start({ ...env, CONCURRENCY: '2' });
    for (let n = 3; n < 5; n++) await lastValueFrom(client.emit('crash.job', { n }));
    await eventually(() => handlingOf(bystander).length === 2, 10_000, 'the bystander to hold two events');
    const dead = (await victim.waitFor((m) => m.type === 'ready')) as Ready;
    const live = (await bystander.waitFor((m) => m.type === 'ready')) as Ready;
    expect(dead.livenessKey).toBe(harness.key(`live:crashy:${dead.consumer}`));
    const ttl = await harness.redis.pTTL(dead.livenessKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_000);

    await victim.kill();
    await eventually(
      async () => (await harness.redis.exists(dead.livenessKey)) === 0,
      5_000,
      'the killed consumer’s liveness key to expire',
    );
    expect(await harness.pending(events, 'crashy')).toEqual({
      count: 5,
      consumers: { [dead.consumer]: 3, [live.consumer]: 2 },
    });

    // A new instance (claimIdleMs 10 minutes: only the liveness path can be quick) takes them over.
    const clock = new ManualClock();
    const metrics = new Registry();
    const { server, close } = await harness.service([RescueController], {
      service: 'crashy',
      claimIdleMs: 600_000,
      clock,
      metrics,
    });
    await eventually(() => rescued.length === 3, 5_000, 'the killed consumer’s messages to be taken over');
    expect(rescued.map((r) => r.data.n).sort()).toEqual([0, 1, 2]);
    expect(new Set(rescued.map((r) => r.messageId))).toEqual(new Set(handlingOf(victim).map((h) => h.messageId)));
    expect(rescued.every((r) => r.deliveries === 2)).toBe(true);
    expect(await metricValue(metrics, 'streams_messages_taken_over_total', { kind: 'event' })).toBe(3);

    // Another whole takeover pass (each advance waits for the pass it starts): the live consumer is not robbed.
    await clock.advance(server.settings.heartbeatIntervalMs);
    await eventually(async () => (await harness.pending(events, 'crashy')).count === 2);
    expect(await harness.pending(events, 'crashy')).toEqual({ count: 2, consumers: { [live.consumer]: 2 } });
    expect(rescued).toHaveLength(3);
    expect(await metricValue(metrics, 'streams_messages_taken_over_total', { kind: 'event' })).toBe(3);

    // The survivor's own key lives while it runs and is gone once it closed cleanly.
    expect(await harness.redis.exists(server.livenessKey)).toBe(1);
    await close();
    expect(await harness.redis.exists(server.livenessKey)).toBe(0);
  });

  it('takes back at start what an earlier process under the same consumerName left pending', async () => {
    const events = harness.key('evt:crash.job');
    const client = await harness.client({ origin: 'caller' });
    const options = { service: 'crashy', consumerName: 'crashy-0', claimIdleMs: 600_000, shutdownTimeoutMs: 0 };
    gateOpen = false;
    const first = await harness.service([RescueController], options);
    for (let n = 0; n < 2; n++) await lastValueFrom(client.emit('crash.job', { n }));
    await eventually(() => held === 2, 5_000, 'both events to be in flight');
    await first.close();
    expect(await harness.pending(events, 'crashy')).toEqual({ count: 2, consumers: { 'crashy-0': 2 } });

    gateOpen = true;
    const metrics = new Registry();
    await harness.service([RescueController], { ...options, metrics });
    await eventually(() => rescued.length === 2, 5_000, 'the leftovers to be handled by the restarted instance');
    expect(rescued.map((r) => [r.data.n, r.deliveries]).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await eventually(async () => (await harness.pending(events, 'crashy')).count === 0);
    expect(await metricValue(metrics, 'streams_messages_taken_over_total', { kind: 'event' })).toBe(2);
  });
});
