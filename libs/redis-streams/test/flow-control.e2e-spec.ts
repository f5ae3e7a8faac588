import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, sleep } from './support/streams-harness';

const load = {
  active: 0,
  maxActive: 0,
  events: new Set<number>(),
  failedOnce: new Set<number>(),
};

async function busy(work: () => void): Promise<void> {
  load.active++;
  load.maxActive = Math.max(load.maxActive, load.active);
  try {
    await sleep(1 + Math.floor(Math.random() * 4));
    work();
  } finally {
    load.active--;
  }
}

@Controller()
class FloodController {
  @EventPattern<string>('flow.item')
  item(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): Promise<void> {
    return busy(() => {
      // Every seventh item fails on its first delivery, so retries compete for the slots too.
      if (data.n % 7 === 0 && context.getDeliveryCount() === 1) {
        load.failedOnce.add(data.n);
        throw new Error('not yet');
      }
      load.events.add(data.n);
    });
  }

  @MessagePattern('flow.ask')
  async ask(@Payload() n: number): Promise<number> {
    await busy(() => undefined);
    return n;
  }
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('flow control on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(() => harness.reset());
  afterAll(() => harness.cleanup());

  it('never runs more than `concurrency` handlers at once, under a flood of events, requests and retries', async () => {
    const concurrency = 5;
    const { server } = await harness.service([FloodController], {
      service: 'flow',
      concurrency,
      batchSize: 3,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 50,
    });
    const client = await harness.client({ origin: 'flood', service: 'flow', requestTimeoutMs: 30_000 });
    let maxInFlight = 0;
    const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, server.inFlight)), 1);
    harness.defer(() => clearInterval(sampler));

    const events = 300;
    const requests = 60;
    const [, answers] = await Promise.all([
      Promise.all(Array.from({ length: events }, (_, n) => lastValueFrom(client.emit('flow.item', { n })))),
      Promise.all(Array.from({ length: requests }, (_, n) => firstValueFrom(client.send<number>('flow.ask', n)))),
    ]);
    expect(answers).toEqual(Array.from({ length: requests }, (_, n) => n));
    await eventually(() => load.events.size === events, 20_000, 'every event to be handled');
    clearInterval(sampler);

    expect(load.failedOnce.size).toBe(Math.ceil(events / 7));
    expect(load.maxActive).toBeLessThanOrEqual(concurrency);
    expect(load.maxActive).toBe(concurrency); // the bound is reached, so it is the bound that held
    expect(maxInFlight).toBeLessThanOrEqual(concurrency);
    await eventually(async () => (await harness.pending(harness.key('evt:flow.item'), 'flow')).count === 0);
  });

  it('trims streams to about maxLen (per stream too), or by age', async () => {
    const client = await harness.client({
      origin: 'trimmer',
      maxLen: 1_000,
      streamLimits: { 'evt:trim.small': { maxLen: 100 }, 'evt:trim.aged': { maxAgeMs: 300 } },
    });
    const emit = async (pattern: string, count: number) => {
      for (let i = 0; i < count; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, count - i) }, (_, j) => lastValueFrom(client.emit(pattern, { n: i + j }))),
        );
      }
    };
    await emit('trim.small', 600);
    await emit('trim.big', 600);
    await emit('trim.aged', 250);

    const small = await harness.length(harness.key('evt:trim.small'));
    expect(small).toBeGreaterThanOrEqual(100);
    expect(small).toBeLessThan(200); // approximate trimming removes whole nodes only
    expect(await harness.length(harness.key('evt:trim.big'))).toBe(600); // under the client-wide 1,000
    const newest = await harness.entries(harness.key('evt:trim.small'));
    expect(JSON.parse(newest.at(-1)?.fields.data as string)).toEqual({ n: 599 });

    expect(await harness.length(harness.key('evt:trim.aged'))).toBe(250);
    await sleep(400);
    await lastValueFrom(client.emit('trim.aged', { n: 250 }));
    const aged = await harness.entries(harness.key('evt:trim.aged'));
    // MINID trimming with `~` keeps the node holding the first young entry, so a few old ones stay.
    expect(aged.length).toBeLessThan(100);
    expect(JSON.parse(aged.at(-1)?.fields.data as string)).toEqual({ n: 250 });
  });
});
