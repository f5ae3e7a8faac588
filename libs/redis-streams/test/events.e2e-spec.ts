import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RedisStreamsContext } from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, sleep } from './support/streams-harness';

const INSTANCE = 'INSTANCE';
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface Handled {
  pattern: string;
  instance: string;
  n: number;
  messageId: string;
  deliveries: number;
}

const handled = { requests: [] as Handled[], events: [] as Handled[], noted: [] as unknown[] };

@Controller()
class WorkerController {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @MessagePattern('work.do')
  async work(@Payload() n: number, @Ctx() context: RedisStreamsContext): Promise<{ n: number; by: string }> {
    await sleep(3);
    handled.requests.push({
      pattern: 'work.do',
      instance: this.instance,
      n,
      messageId: context.getMessageId(),
      deliveries: context.getDeliveryCount(),
    });
    return { n, by: this.instance };
  }

  @EventPattern<string>('order.placed')
  placed(@Payload() order: { n: number }, @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.record('order.placed', order, context);
  }

  @EventPattern<string>('order.confirmed')
  confirmed(@Payload() order: { n: number }, @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.record('order.confirmed', order, context);
  }

  private async record(pattern: string, order: { n: number }, context: RedisStreamsContext): Promise<void> {
    await sleep(3);
    handled.events.push({
      pattern,
      instance: this.instance,
      n: order.n,
      messageId: context.getMessageId(),
      deliveries: context.getDeliveryCount(),
    });
  }
}

@Controller()
class NoteController {
  @EventPattern<string>('note.taken')
  taken(@Payload() data: unknown, @Ctx() context: RedisStreamsContext): void {
    handled.noted.push({
      data,
      stream: context.getStream(),
      entryId: context.getEntryId(),
      deliveries: context.getDeliveryCount(),
      meta: context.getMeta(),
    });
  }
}

const instance = (name: string) => [{ provide: INSTANCE, useValue: name }];

function countBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('events on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(async () => {
    await harness.reset();
    handled.requests = [];
    handled.events = [];
    handled.noted = [];
  });
  afterAll(() => harness.cleanup());

  it('emit() completes with the entry id once Redis stored the event', async () => {
    const client = await harness.client({ origin: 'notary' });
    const entryId = await lastValueFrom(client.emit('note.taken', { text: 'hi' }));
    expect(entryId).toMatch(/^\d+-\d+$/);
    // Stored before emit() completed, with the envelope fields.
    const [entry] = await harness.entries(harness.key('evt:note.taken'));
    expect(entry?.id).toBe(entryId);
    expect(Object.keys(entry?.fields ?? {})).toEqual(['id', 'pattern', 'data', 'meta']);
    expect(entry?.fields.pattern).toBe('note.taken');
    expect(JSON.parse(entry?.fields.data as string)).toEqual({ text: 'hi' });
    const meta = JSON.parse(entry?.fields.meta as string) as Record<string, unknown>;
    expect(meta).toEqual({
      traceparent: expect.stringMatching(TRACEPARENT),
      correlationId: entry?.fields.id,
      causationId: null,
      origin: 'notary',
      occurredAt: expect.any(String),
    });

    // Emitted before any consumer ran: a service that starts later still gets it.
    await harness.service([NoteController], { service: 'notes' });
    await eventually(() => handled.noted.length === 1);
    expect(handled.noted[0]).toEqual({
      data: { text: 'hi' },
      stream: harness.key('evt:note.taken'),
      entryId,
      deliveries: 1,
      meta,
    });
    await eventually(async () => (await harness.pending(harness.key('evt:note.taken'), 'notes')).count === 0);
  });

  it('shares requests and events between the instances of one service, each handled once', async () => {
    const options = { service: 'workers', concurrency: 2, batchSize: 1 };
    const a = await harness.service([WorkerController], options, instance('a'));
    const b = await harness.service([WorkerController], options, instance('b'));
    expect(a.server.consumer).not.toBe(b.server.consumer);
    const client = await harness.client({ origin: 'boss', service: 'workers' });

    const total = 40;
    const answers = await Promise.all(
      Array.from({ length: total }, (_, n) => firstValueFrom(client.send<{ n: number; by: string }>('work.do', n))),
    );
    expect(answers.map((answer) => answer.n)).toEqual(Array.from({ length: total }, (_, n) => n));
    await Promise.all(Array.from({ length: total }, (_, n) => lastValueFrom(client.emit('order.placed', { n }))));
    await eventually(() => handled.events.length >= total, 10_000, 'every event to be handled');
    expect(handled.events.every((h) => h.pattern === 'order.placed')).toBe(true);
    // Nothing pending: every delivery's handler has run (a duplicate would be pending until it had).
    await eventually(async () => (await harness.pending(harness.key('evt:order.placed'), 'workers')).count === 0);

    for (const kind of ['requests', 'events'] as const) {
      const byNumber = countBy(handled[kind], (h) => h.n);
      expect([...byNumber.keys()].sort((x, y) => Number(x) - Number(y))).toEqual(
        Array.from({ length: total }, (_, n) => n),
      );
      expect([...byNumber.values()].every((count) => count === 1)).toBe(true);
      const byInstance = countBy(handled[kind], (h) => h.instance);
      expect(byInstance.get('a')).toBeGreaterThan(0);
      expect(byInstance.get('b')).toBeGreaterThan(0);
    }
    // Both instances are consumers of the one group, under names of their own.
    const consumers = (await harness.redis.sendCommand([
      'XINFO',
      'CONSUMERS',
      harness.key('evt:order.placed'),
      'workers',
    ])) as string[][];
    expect(consumers.map((fields) => fields[1]).sort()).toEqual([a.server.consumer, b.server.consumer].sort());
    expect((await harness.pending(harness.key('evt:order.placed'), 'workers')).count).toBe(0);
    expect((await harness.pending(harness.key('req:workers'), 'workers')).count).toBe(0);
  });

  it('gives every event to every service, shared among that service’s instances', async () => {
    await harness.service(
      [WorkerController],
      { service: 'billing', concurrency: 2, batchSize: 1 },
      instance('billing-1'),
    );
    await harness.service(
      [WorkerController],
      { service: 'billing', concurrency: 2, batchSize: 1 },
      instance('billing-2'),
    );
    await harness.service([WorkerController], { service: 'shipping' }, instance('shipping'));
    const client = await harness.client({ origin: 'shop' });

    const total = 30;
    for (let n = 0; n < total; n++) await lastValueFrom(client.emit('order.confirmed', { n }));
    const confirmed = () => handled.events.filter((h) => h.pattern === 'order.confirmed');
    await eventually(() => confirmed().length >= 2 * total, 10_000, 'both services to handle every event');
    for (const group of ['billing', 'shipping']) {
      await eventually(async () => (await harness.pending(harness.key('evt:order.confirmed'), group)).count === 0);
    }

    const billing = confirmed().filter((h) => h.instance.startsWith('billing'));
    const shipping = confirmed().filter((h) => h.instance === 'shipping');
    for (const service of [billing, shipping]) {
      expect(service).toHaveLength(total);
      expect(new Set(service.map((h) => h.n)).size).toBe(total);
    }
    // The same message (same envelope id) reached both services.
    expect(new Set(billing.map((h) => h.messageId))).toEqual(new Set(shipping.map((h) => h.messageId)));
    expect(new Set(billing.map((h) => h.instance))).toEqual(new Set(['billing-1', 'billing-2']));

    const groups = (await harness.redis.sendCommand([
      'XINFO',
      'GROUPS',
      harness.key('evt:order.confirmed'),
    ])) as string[][];
    expect(groups.map((fields) => fields[1])).toEqual(expect.arrayContaining(['billing', 'shipping']));
  });
});
