import { randomUUID } from 'node:crypto';

type Data = Record<string, unknown>;

let clock = Date.parse('2026-11-22T05:00:00.000Z');

/** A later timestamp on every call (a second apart), so events of a test have distinct, ordered times. */
export const later = (): string => new Date((clock += 1_000)).toISOString();

/** The header of an event `origin` published as the `sequence`-th of the product's. */
function header(origin: string, productId: string, sequence: number, occurredAt: string): Data {
  return { id: randomUUID(), schemaVersion: 1, occurredAt, origin, aggregateId: productId, sequence };
}

export interface ProductState {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A new product's state, created now (by the test's clock). */
export function newProduct(overrides: Partial<ProductState> = {}): ProductState {
  const at = overrides.createdAt ?? later();
  return {
    productId: randomUUID(),
    sku: `SKU-${randomUUID().slice(0, 8).toUpperCase()}`,
    name: 'Test product',
    priceCents: 1_000,
    stock: 10,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** `product.created` as `origin` publishes it (the monolith's first event of a product is number 1). */
export function productCreated(origin: string, product: ProductState, sequence = 1): Data {
  return { ...header(origin, product.productId, sequence, product.createdAt), ...product };
}

/** `stock.adjusted` (a manual adjustment) as `origin` publishes it. */
export function stockAdjusted(
  origin: string,
  productId: string,
  sequence: number,
  delta: number,
  stock: number,
  updatedAt = later(),
): Data {
  return {
    ...header(origin, productId, sequence, updatedAt),
    productId,
    delta,
    stock,
    reason: 'adjustment',
    note: 'stock count',
    orderId: null,
    updatedAt,
  };
}

/** `product.updated` as `origin` publishes it. */
export function productUpdated(
  origin: string,
  productId: string,
  sequence: number,
  change: { name: string; priceCents: number },
  updatedAt = later(),
): Data {
  return {
    ...header(origin, productId, sequence, updatedAt),
    productId,
    changes: { name: change.name, priceCents: change.priceCents },
    name: change.name,
    priceCents: change.priceCents,
    updatedAt,
  };
}

/** `product.snapshot` as the monolith's backfill publishes it, reflecting `sequences`. */
export function productSnapshot(product: ProductState, sequences: Record<string, number>, occurredAt = later()): Data {
  const { sequence: _sequence, ...rest } = header('legacy-monolith', product.productId, 1, occurredAt);
  return { ...rest, sequences, ...product };
}

/** The Product the API shows for a state. */
export function asProductBody(product: ProductState, id = product.productId) {
  return {
    id,
    sku: product.sku,
    name: product.name,
    priceCents: product.priceCents,
    stock: product.stock,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}
