import { z } from 'zod';
import { Cents, Uuid } from './primitives';

export const MAX_ORDER_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 100;

/** How many of one product an order line holds. */
export const Quantity = z.int().min(1).max(MAX_ITEM_QUANTITY);

/** 1 to 50 entries, each about a different product (a repeated `productId` is reported at its second place). */
export function productList<T extends z.ZodType<{ readonly productId: string }>>(item: T) {
  return z
    .array(item)
    .min(1)
    .max(MAX_ORDER_ITEMS)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        const productId = entry.productId.toLowerCase();
        if (seen.has(productId)) {
          ctx.addIssue({ code: 'custom', path: [index, 'productId'], message: 'must not repeat a productId' });
        }
        seen.add(productId);
      });
    });
}

/** 1 to 50 different product ids. */
export const ProductIds = z
  .array(Uuid)
  .min(1)
  .max(MAX_ORDER_ITEMS)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index)
        ctx.addIssue({ code: 'custom', path: [index], message: 'must not repeat a productId' });
    });
  });

/** The lines of an order, priced when it was placed. */
export const OrderItems = productList(z.strictObject({ productId: Uuid, quantity: Quantity, unitPriceCents: Cents }));

/** The sum of quantity × unit price over the lines. */
export function orderTotal(items: readonly { readonly quantity: number; readonly unitPriceCents: number }[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
}
