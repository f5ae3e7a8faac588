import { Controller, Inject } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ManualClock } from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, latch, sleep } from './support/streams-harness';

const INSTANCE = 'INSTANCE';

const state = {
  started: [] as { instance: string; n: number }[],
  finished: [] as { instance: string; n: number }[],
  stuck: latch(),
  stuckEnabled: true,
};

@Controller()
class DrainController {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @EventPattern<string>('drain.job')
  job(@Payload() data: { n: number }): Promise<void> {
    return this.work(data.n);
  }

  @EventPattern<string>('drain.chore')
  chore(@Payload() data: { n: number }): Promise<void> {
    return this.work(data.n);
  }

  private async work(n: number): Promise<void> {
    state.started.push({ instance: this.instance, n });
    await sleep(10);
    state.finished.push({ instance: this.instance, n });
  }
}

/** Separate from the above: every service reads every stream its controllers name, from the start. */
@Controller()
class StuckController {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @EventPattern<string>('drain.stuck')
  async stuck(@Payload() data: { n: number }): Promise<void> {
    state.started.push({ instance: this.instance, n: data.n });
    if (state.stuckEnabled) await state.stuck.promise;
    state.finished.push({ instance: this.instance, n: data.n });
  }
}

@Controller()
class AnswerController {
  @MessagePattern('drain.ask')
  async ask(@Payload() n: number): Promise<number> {
    state.started.push({ instance: 'answers', n });
    await sleep(300);
    state.finished.push({ instance: 'answers', n });
    return n * 10;
  }
}

const instance = (name: string) => [{ provide: INSTANCE, useValue: name }];

/** The entry ids pending for a group, with their consumers. */
async function pendingIds(harness: StreamsHarness, stream: string, group: string): Promise<string[]> {
  const reply = (await harness.redis.sendCommand(['XPENDING', stream, group, '-', '+', '10000'])) as [string][];
  return reply.map(([id]) => id);
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('graceful shutdown on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(async () => {
    state.stuck.open();
    await harness.reset();
    state.started = [];
    state.finished = [];
    state.stuck = latch();
    state.stuckEnabled = true;
  });
  afterAll(() => harness.cleanup());

  it('lets handlers in flight finish and acknowledges them; the rest waits for the next instance', async () => {
    // Two streams, so that one read can bring more entries than free slots.
    const patternOf = (n: number) => (n % 2 === 0 ? 'drain.job' : 'drain.chore');
    const streams = ['drain.job', 'drain.chore'].map((pattern) => harness.key(`evt:${pattern}`));
    const first = await harness.service(
      [DrainController],
      { service: 'drain', concurrency: 8, batchSize: 6 },
      instance('first'),
    );
    const client = await harness.client({ origin: 'flood' });
    const total = 300;
    const entryIds = await Promise.all(
      Array.from({ length: total }, (_, n) => lastValueFrom(client.emit<string>(patternOf(n), { n }))),
    );
    const entryOf = new Map(entryIds.map((id, n) => [n, `${patternOf(n)} ${id}`]));

    await eventually(() => state.finished.length >= 40, 10_000, 'the first instance to be under way');
    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(2_000);

    // Every handler that started has finished, and each of them was acknowledged.
    const byFirst = state.finished.filter((h) => h.instance === 'first').map((h) => h.n);
    expect(
      state.started
        .filter((h) => h.instance === 'first')
        .map((h) => h.n)
        .sort(),
    ).toEqual([...byFirst].sort());
    expect(byFirst.length).toBeLessThan(total);
    const pending = new Set<string>();
    for (const pattern of ['drain.job', 'drain.chore']) {
      for (const id of await pendingIds(harness, harness.key(`evt:${pattern}`), 'drain'))
        pending.add(`${pattern} ${id}`);
    }
    expect(byFirst.filter((n) => pending.has(entryOf.get(n) as string))).toEqual([]);

    // A new instance handles the rest (and claims whatever was delivered but not handled).
    await harness.service(
      [DrainController],
      { service: 'drain', concurrency: 8, claimIdleMs: 200, claimIntervalMs: 100, retryMaxDelayMs: 100 },
      instance('second'),
    );
    await eventually(() => new Set(state.finished.map((h) => h.n)).size === total, 15_000, 'every event to be handled');
    // Nothing pending: no handler is running, and nothing can be delivered again.
    for (const stream of streams) {
      await eventually(async () => (await harness.pending(stream, 'drain')).count === 0, 5_000, 'nothing pending');
    }
    const counts = new Map<number, number>();
    for (const { n } of state.finished) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts.entries()].filter(([, count]) => count > 1)).toEqual([]);
    for (const stream of streams) {
      const groups = (await harness.redis.sendCommand(['XINFO', 'GROUPS', stream])) as string[][];
      expect(groups[0]).toEqual(expect.arrayContaining(['pending', 0, 'lag', 0]));
    }
  });

  it('answers the requests in flight before it closes', async () => {
    const { close } = await harness.service([AnswerController], { service: 'drain-answers', concurrency: 4 });
    const client = await harness.client({ origin: 'asker', service: 'drain-answers' });
    const answers = Promise.all([1, 2, 3].map((n) => firstValueFrom(client.send<number>('drain.ask', n))));
    await eventually(() => state.started.length === 3);
    await close();
    expect(await answers).toEqual([10, 20, 30]);
    expect((await harness.pending(harness.key('req:drain-answers'), 'drain-answers')).count).toBe(0);
  });

  it('stops waiting for handlers after shutdownTimeoutMs; their messages stay pending and are taken over at once', async () => {
    const stream = harness.key('evt:drain.stuck');
    const clock = new ManualClock();
    const first = await harness.service(
      [StuckController],
      { service: 'drain-stuck', concurrency: 2, shutdownTimeoutMs: 300, clock },
      instance('first'),
    );
    const client = await harness.client({ origin: 'flood' });
    for (let n = 0; n < 3; n++) await lastValueFrom(client.emit('drain.stuck', { n }));
    await eventually(() => state.started.length === 2, 5_000, 'both slots to be busy');

    let closed = false;
    const closing = first.close().then(() => (closed = true));
    const deadline = clock.now() + 300;
    await eventually(() => clock.pending.includes(deadline), 5_000, 'close() to wait for the handlers');
    await clock.advance(299);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    expect((await harness.pending(stream, 'drain-stuck')).count).toBe(2);
    expect(await harness.redis.exists(first.server.livenessKey)).toBe(0);

    // Its liveness key is gone: the next instance takes the stuck messages over without waiting claimIdleMs.
    state.stuckEnabled = false;
    await harness.service([StuckController], { service: 'drain-stuck', claimIdleMs: 600_000 }, instance('second'));
    await eventually(
      () => new Set(state.finished.filter((h) => h.instance === 'second').map((h) => h.n)).size === 3,
      5_000,
      'the stuck and the unread messages to be handled by the next instance',
    );
    await eventually(async () => (await harness.pending(stream, 'drain-stuck')).count === 0);
  });
});
