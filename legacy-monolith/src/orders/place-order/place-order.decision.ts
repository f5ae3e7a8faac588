import { type OrderLine, type RejectionReason, type RequestedItem, priceOrder } from '@app/shop-api';

export type { RequestedItem } from '@app/shop-api';

export interface ProductOnHand {
  readonly priceCents: number;
  readonly stock: number;
}

export type Placement =
  | {
      readonly status: 'APPROVED';
      readonly lines: readonly OrderLine[];
      readonly totalCents: number;
      readonly rejectionReason: null;
    }
  | {
      readonly status: 'REJECTED';
      readonly lines: readonly OrderLine[];
      readonly totalCents: number;
      readonly rejectionReason: RejectionReason;
    };

/**
 * The rule of order placement: each item is priced at its product's current price; the
 * order is approved when every product has the stock and the wallet holds the total,
 * otherwise rejected, for `OUT_OF_STOCK` first, then `INSUFFICIENT_FUNDS`. Every
 * requested product must be present in `products`.
 */
export function decidePlacement(
  items: readonly RequestedItem[],
  products: ReadonlyMap<string, ProductOnHand>,
  balanceCents: number,
): Placement {
  const missing = items.find((item) => !products.has(item.productId));
  if (missing) throw new Error(`decidePlacement: product ${missing.productId} is missing`);
  const { lines, totalCents } = priceOrder(items, (productId) => products.get(productId)?.priceCents);
  const outOfStock = items.some((item) => (products.get(item.productId)?.stock ?? 0) < item.quantity);
  if (outOfStock) return { status: 'REJECTED', lines, totalCents, rejectionReason: 'OUT_OF_STOCK' };
  if (balanceCents < totalCents)
    return { status: 'REJECTED', lines, totalCents, rejectionReason: 'INSUFFICIENT_FUNDS' };
  return { status: 'APPROVED', lines, totalCents, rejectionReason: null };
}
