import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, type ReadPacket } from '@nestjs/microservices';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { type EnvelopeMeta, RedisStreamsClient, RedisStreamsContext } from '@app/redis-streams';
import { RedisTargets, StreamsHarness, eventually, sleep } from './support/streams-harness';

const PAYMENTS = 'PAYMENTS';

interface Handled {
  pattern: string;
  n: number;
  messageId: string;
  meta: EnvelopeMeta;
}

let handled: Handled[] = [];

function remember(pattern: string, data: { n: number }, context: RedisStreamsContext): void {
  handled.push({ pattern, n: data.n, messageId: context.getMessageId(), meta: context.getMeta() });
}

@Controller()
class OrdersController {
  constructor(@Inject(PAYMENTS) private readonly payments: RedisStreamsClient) {}

  @EventPattern<string>('prop.order.placed')
  async placed(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): Promise<void> {
    remember('prop.order.placed', data, context);
    await sleep(Math.floor(Math.random() * 5)); // handlers interleave
    await firstValueFrom(this.payments.send('prop.charge', data));
    await lastValueFrom(this.payments.emit('prop.order.confirmed', data));
  }
}

@Controller()
class PaymentsController {
  @MessagePattern('prop.charge')
  charge(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): string {
    remember('prop.charge', data, context);
    return 'charged';
  }

  @EventPattern<string>('prop.order.confirmed')
  confirmed(@Payload() data: { n: number }, @Ctx() context: RedisStreamsContext): void {
    remember('prop.order.confirmed', data, context);
  }
}

const traceId = (traceparent: string) => traceparent.split('-')[1];
const spanId = (traceparent: string) => traceparent.split('-')[2];

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('context propagation on $name', (target) => {
  const harness = new StreamsHarness(target);
  beforeAll(() => harness.start());
  afterEach(async () => {
    await harness.reset();
    handled = [];
  });
  afterAll(() => harness.cleanup());

  it('passes correlation id, causation id and trace on to what a handler sends and emits', async () => {
    const payments = new RedisStreamsClient({
      url: harness.url,
      prefix: harness.prefix,
      origin: 'orders',
      service: 'payments',
    });
    harness.defer(() => payments.close());
    await harness.service([PaymentsController], { service: 'payments' });
    await harness.service([OrdersController], { service: 'orders' }, [{ provide: PAYMENTS, useValue: payments }]);
    const shop = await harness.client({ origin: 'shop' });

    const orders = 10;
    await Promise.all(Array.from({ length: orders }, (_, n) => lastValueFrom(shop.emit('prop.order.placed', { n }))));
    await eventually(() => handled.length === 3 * orders, 10_000, 'every hop to be handled');

    const find = (pattern: string, n: number) => handled.find((h) => h.pattern === pattern && h.n === n) as Handled;
    for (let n = 0; n < orders; n++) {
      const placed = find('prop.order.placed', n);
      // The first message starts the chain: its own id is the correlation id; nothing caused it.
      expect(placed.meta).toMatchObject({ origin: 'shop', correlationId: placed.messageId, causationId: null });
      for (const pattern of ['prop.charge', 'prop.order.confirmed']) {
        const next = find(pattern, n);
        expect(next.messageId).not.toBe(placed.messageId);
        expect(next.meta).toMatchObject({
          origin: 'orders',
          correlationId: placed.meta.correlationId,
          causationId: placed.messageId,
        });
        expect(traceId(next.meta.traceparent)).toBe(traceId(placed.meta.traceparent));
        expect(spanId(next.meta.traceparent)).not.toBe(spanId(placed.meta.traceparent));
      }
    }
    // Every order is a trace of its own.
    expect(new Set(handled.map((h) => traceId(h.meta.traceparent))).size).toBe(orders);

    // Outside any handler, a message starts a new chain again.
    await lastValueFrom(payments.emit('prop.order.confirmed', { n: 99 }));
    await eventually(() => handled.some((h) => h.n === 99));
    const alone = find('prop.order.confirmed', 99);
    expect(alone.meta).toMatchObject({ correlationId: alone.messageId, causationId: null });
    expect(handled.filter((h) => traceId(h.meta.traceparent) === traceId(alone.meta.traceparent))).toHaveLength(1);
  });

  it('calls the dispatch hook with every request and event before it is sent', async () => {
    await harness.service([PaymentsController], { service: 'payments' });
    const client = await harness.client({ origin: 'shop', service: 'payments' });
    const dispatched: ReadPacket[] = [];
    client.setOnDispatchHook((packet) => {
      dispatched.push({ ...packet });
      Object.assign(packet, { metadata: { tenant: 't-1' } });
    });

    expect(await firstValueFrom(client.send('prop.charge', { n: 1 }))).toBe('charged');
    await lastValueFrom(client.emit('prop.order.confirmed', { n: 2 }));
    expect(dispatched).toEqual([
      { pattern: 'prop.charge', data: { n: 1 } },
      { pattern: 'prop.order.confirmed', data: { n: 2 } },
    ]);
    await eventually(() => handled.length === 2);
    expect(handled.map((h) => [h.pattern, h.n])).toEqual([
      ['prop.charge', 1],
      ['prop.order.confirmed', 2],
    ]);
  });
});
