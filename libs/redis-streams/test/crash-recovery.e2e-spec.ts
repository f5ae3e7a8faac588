import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from '@app/redis-streams';
import { type ConsumerMessage, ConsumerProcess } from './support/consumer-process';
import { StreamsHarness, TEST_REDIS_URL, eventually, sleep } from './support/streams-harness';

interface Rescued {
  kind: 'request' | 'event';
  data: { n: number };
  messageId: string;
  deliveries: number;
}

let rescued: Rescued[] = [];

@Controller()
class RescueController {
  @MessagePattern('crash.ask')
  ask(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext) {
    rescued.push({ kind: 'request', data, messageId: context.getMessageId(), deliveries: context.getDeliveryCount() });
    return { answer: data.n * 2, deliveries: context.getDeliveryCount() };
  }

  @EventPattern<string>('crash.job')
  job(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): void {
    rescued.push({ kind: 'event', data, messageId: context.getMessageId(), deliveries: context.getDeliveryCount() });
  }
}

type Handling = Extract<ConsumerMessage, { type: 'handling' }>;

describe('a consumer killed while handling', () => {
  const harness = new StreamsHarness();
  let victim: ConsumerProcess | undefined;
  beforeAll(() => harness.start());
  afterEach(async () => {
    await victim?.kill();
    victim = undefined;
    await harness.reset();
    rescued = [];
  });
  afterAll(() => harness.cleanup());

  it('leaves its messages pending; a live instance claims and handles every one of them', async () => {
    const events = harness.key('evt:crash.job');
    const requests = harness.key('req:crashy');
    const client = await harness.client({ origin: 'caller', service: 'crashy' });
    for (let n = 0; n < 6; n++) await lastValueFrom(client.emit('crash.job', { n }));
    const answer = firstValueFrom(
      client.send<{ answer: number; deliveries: number }>('crash.ask', { n: 21 }, { timeoutMs: 30_000 }),
    );

    victim = await ConsumerProcess.start({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: harness.prefix,
      SERVICE: 'crashy',
      EVENT_PATTERN: 'crash.job',
      REQUEST_PATTERN: 'crash.ask',
      CLIENT_ORIGIN: 'doomed',
      CLIENT_REPLY_TTL_MS: '1500',
    });
    const handling = () => victim?.messages.filter((m): m is Handling => m.type === 'handling') ?? [];
    await eventually(() => handling().length === 7, 10_000, 'the victim to start handling everything');
    const { consumer } = (await victim.waitFor((m) => m.type === 'ready')) as { consumer: string };
    const { replyStream } = (await victim.waitFor((m) => m.type === 'client')) as { replyStream: string };
    await eventually(async () => (await harness.redis.exists(replyStream)) === 1);
    expect(await harness.redis.pTTL(replyStream)).toBeLessThanOrEqual(1_500);

    await victim.kill();
    // Nothing was acknowledged: all of it is still pending on the dead consumer.
    expect(await harness.pending(events, 'crashy')).toEqual({ count: 6, consumers: { [consumer]: 6 } });
    expect(await harness.pending(requests, 'crashy')).toEqual({ count: 1, consumers: { [consumer]: 1 } });

    const { server } = await harness.service([RescueController], {
      service: 'crashy',
      claimIdleMs: 300,
      claimIntervalMs: 100,
      retryMaxDelayMs: 100,
    });
    expect(server.consumer).not.toBe(consumer);

    // The caller, still waiting, gets its answer from the instance that claimed the request.
    expect(await answer).toEqual({ answer: 42, deliveries: 2 });
    await eventually(() => rescued.length === 7, 10_000, 'every message to be claimed and handled');
    await sleep(150);
    expect(rescued).toHaveLength(7);
    expect(
      rescued
        .filter((r) => r.kind === 'event')
        .map((r) => r.data.n)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(rescued.map((r) => r.messageId))).toEqual(new Set(handling().map((h) => h.messageId)));
    expect(rescued.every((r) => r.deliveries === 2)).toBe(true);
    await eventually(async () => (await harness.pending(events, 'crashy')).count === 0);
    await eventually(async () => (await harness.pending(requests, 'crashy')).count === 0);

    // The dead client's reply stream expires by itself.
    await eventually(async () => (await harness.redis.exists(replyStream)) === 0, 10_000, 'the reply stream to expire');
  });
});
