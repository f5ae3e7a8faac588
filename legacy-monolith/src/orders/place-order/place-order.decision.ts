import type { RejectionReason } from '../order-status';

export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

export interface ProductOnHand {
  readonly priceCents: number;
  readonly stock: number;
}

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
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
  const lines = items.map((item) => {
    const product = products.get(item.productId);
    if (!product) throw new Error(`decidePlacement: product ${item.productId} is missing`);
    return { productId: item.productId, quantity: item.quantity, unitPriceCents: product.priceCents };
  });
  const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const outOfStock = items.some((item) => (products.get(item.productId)?.stock ?? 0) < item.quantity);
  if (outOfStock) return { status: 'REJECTED', lines, totalCents, rejectionReason: 'OUT_OF_STOCK' };
  if (balanceCents < totalCents)
    return { status: 'REJECTED', lines, totalCents, rejectionReason: 'INSUFFICIENT_FUNDS' };
  return { status: 'APPROVED', lines, totalCents, rejectionReason: null };
}
