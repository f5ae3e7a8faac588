import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { StockAdjusted } from '@app/contracts';
import { StreamKeys, createEnvelope, encodeEnvelope } from '@app/redis-streams';
import type { ProductSummary } from './stack';

/** The origin of the stock events: the inventory service (a publisher of `stock.adjusted` in the contracts). */
export const FEEDER_ORIGIN = 'inventory';

/** One event sent: its id and when it occurred (ms since the epoch, as its `occurredAt`). */
export interface SentEvent {
  readonly id: string;
  readonly occurredAtMs: number;
}

export interface PacedRun {
  readonly events: readonly SentEvent[];
  /** Events per second achieved, from the first to the last XADD sent. */
  readonly rate: number;
  /** How far behind schedule the publisher fell at worst (its own event loop), ms. */
  readonly maxBehindMs: number;
}

interface ProductState {
  readonly id: string;
  stock: number;
  /** The last sequence of the feeder's origin for this product. */
  sequence: number;
}

/**
 * Publishes `stock.adjusted` events as the inventory service's outbox relay would (envelope
 * and stream of `@app/redis-streams`, data valid against `@app/contracts`): `+1` adjustments
 * of the given products in turn, each product numbered 1, 2, 3, … by this origin, each
 * event's `occurredAt` the moment it is sent.
 */
export class StockFeeder {
  private readonly redis: ReturnType<typeof createClient>;
  private readonly products: ProductState[];
  private readonly stream: string;
  private next = 0;

  constructor(redisUrl: string, prefix: string, products: readonly ProductSummary[]) {
    this.redis = createClient({ url: redisUrl });
    this.redis.on('error', () => undefined);
    this.products = products.map((p) => ({ id: p.id, stock: p.stock, sequence: 0 }));
    this.stream = new StreamKeys(prefix).events(StockAdjusted.pattern);
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  close(): void {
    this.redis.destroy();
  }

  /** The next event's data, checked against the contract once per run (`check`). */
  private nextEvent(now: Date, check: boolean) {
    const product = this.products[this.next++ % this.products.length] as ProductState;
    product.sequence++;
    product.stock++;
    const at = now.toISOString();
    const data = {
      id: randomUUID(),
      schemaVersion: 1 as const,
      occurredAt: at,
      origin: FEEDER_ORIGIN,
      aggregateId: product.id,
      sequence: product.sequence,
      productId: product.id,
      delta: 1,
      stock: product.stock,
      reason: 'adjustment' as const,
      note: 'bench:catalog stock feed',
      orderId: null,
      updatedAt: at,
    };
    if (check) StockAdjusted.schema.parse(data);
    return data;
  }

  /** Open loop: event `n` is due at `n / rate` s after the start, whether or not Redis has taken the earlier ones. */
  async publishPaced(rate: number, seconds: number): Promise<PacedRun> {
    const total = Math.round(rate * seconds);
    const events: SentEvent[] = [];
    const writes: Promise<unknown>[] = [];
    const started = Date.now();
    let maxBehindMs = 0;
    let first = Number.NaN;
    let last = Number.NaN;
    while (events.length < total) {
      const now = new Date();
      const due = Math.min(total, Math.floor(((now.getTime() - started) * rate) / 1000) + 1);
      if (due > events.length) {
        maxBehindMs = Math.max(maxBehindMs, now.getTime() - (started + ((events.length + 1) * 1000) / rate));
        if (Number.isNaN(first)) first = now.getTime();
        last = now.getTime();
      }
      while (events.length < due) {
        const data = this.nextEvent(now, events.length === 0);
        const envelope = createEnvelope(StockAdjusted.pattern, data, FEEDER_ORIGIN, { id: data.id, now });
        writes.push(this.redis.sendCommand(['XADD', this.stream, '*', ...encodeEnvelope(envelope)]));
        events.push({ id: data.id, occurredAtMs: now.getTime() });
      }
      await sleep(1);
    }
    await Promise.all(writes);
    const spanS = (last - first) / 1000;
    return {
      events,
      rate: spanS > 0 ? (events.length - 1) / spanS : Number.NaN,
      maxBehindMs: Math.max(0, maxBehindMs),
    };
  }

  /** Entries in a service's dead-letter stream. */
  async deadLetters(prefix: string, service: string): Promise<number> {
    return Number(await this.redis.sendCommand(['XLEN', new StreamKeys(prefix).deadLetters(service)]));
  }
}
