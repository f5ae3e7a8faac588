import { randomUUID } from 'node:crypto';
import { publishEvent } from '../../../../tools/testing/test-streams';

type Data = Record<string, unknown>;

let clock = Date.parse('2026-11-22T05:00:00.000Z');
/** A timestamp later than every one given before (ISO, milliseconds). */
export const later = (): string => new Date((clock += 1_000)).toISOString();

/**
 * Another service publishing product events as its outbox would: valid contract data,
 * numbered per product from 1 in the order they are made. `make*` builds an event without
 * publishing it (to publish out of order); `publish` appends one to its stream.
 */
export class ProductEventSource {
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly redisPrefix: string,
    readonly origin: string,
  ) {}

  private header(productId: string): Data {
    const sequence = (this.sequences.get(productId) ?? 0) + 1;
    this.sequences.set(productId, sequence);
    return {
      id: randomUUID(),
      schemaVersion: 1,
      occurredAt: later(),
      origin: this.origin,
      aggregateId: productId,
      sequence,
    };
  }

  /** The last sequence this origin gave the product (0 if none). */
  sequenceOf(productId: string): number {
    return this.sequences.get(productId) ?? 0;
  }

  makeCreated(productId: string, stock: number): Data {
    const at = later();
    return {
      ...this.header(productId),
      productId,
      sku: `SKU-${productId.slice(0, 8).toUpperCase()}`,
      name: 'A product',
      priceCents: 1_000,
      stock,
      createdAt: at,
      updatedAt: at,
    };
  }

  /** `stock.adjusted`; `reason` `adjustment` unless an order id is given (then `order` or `cancellation` by the sign). */
  makeAdjusted(productId: string, delta: number, stock: number, orderId: string | null = null): Data {
    const reason = orderId === null ? 'adjustment' : delta < 0 ? 'order' : 'cancellation';
    const note =
      orderId === null ? 'stock count' : reason === 'order' ? `order ${orderId}` : `cancellation of order ${orderId}`;
    return {
      ...this.header(productId),
      productId,
      delta,
      stock,
      reason,
      note,
      orderId,
      updatedAt: later(),
    };
  }

  makeUpdated(productId: string, name: string): Data {
    return {
      ...this.header(productId),
      productId,
      changes: { name },
      name,
      priceCents: 1_000,
      updatedAt: later(),
    };
  }

  async publish(pattern: 'product.created' | 'stock.adjusted' | 'product.updated', data: Data): Promise<Data> {
    await publishEvent(this.redisPrefix, pattern, data);
    return data;
  }

  created(productId: string, stock: number): Promise<Data> {
    return this.publish('product.created', this.makeCreated(productId, stock));
  }

  adjusted(productId: string, delta: number, stock: number, orderId: string | null = null): Promise<Data> {
    return this.publish('stock.adjusted', this.makeAdjusted(productId, delta, stock, orderId));
  }
}

/** `product.snapshot` as the monolith's backfill publishes it. */
export async function publishSnapshot(
  redisPrefix: string,
  productId: string,
  stock: number,
  sequences: Record<string, number>,
): Promise<Data> {
  const at = later();
  const data = {
    id: randomUUID(),
    schemaVersion: 1,
    occurredAt: at,
    origin: 'legacy-monolith',
    aggregateId: productId,
    sequences,
    productId,
    sku: `SKU-${productId.slice(0, 8).toUpperCase()}`,
    name: 'A product',
    priceCents: 1_000,
    stock,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: at,
  };
  await publishEvent(redisPrefix, 'product.snapshot', data);
  return data;
}
