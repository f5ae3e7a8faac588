/** An item as a client asks for it. */
export interface RequestedItem {
  readonly productId: string;
  readonly quantity: number;
}

/** An item priced at placement. */
export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/**
 * Prices each item at its product's current price, in the order asked, and sums the total.
 * Every product must have a price in `priceOf` (the caller has refused the missing ones).
 */
export function priceOrder(
  items: readonly RequestedItem[],
  priceOf: (productId: string) => number | undefined,
): { readonly lines: OrderLine[]; readonly totalCents: number } {
  const lines = items.map((item) => {
    const unitPriceCents = priceOf(item.productId);
    if (unitPriceCents === undefined) throw new Error(`priceOrder: product ${item.productId} has no price`);
    return { productId: item.productId, quantity: item.quantity, unitPriceCents };
  });
  return { lines, totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0) };
}
