import { z } from 'zod';
import { UuidSchema } from '@app/api-conventions';

export const MAX_ORDER_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 100;

export const PlaceOrderBodySchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ productId: UuidSchema, quantity: z.int().min(1).max(MAX_ITEM_QUANTITY) }))
      .min(1)
      .max(MAX_ORDER_ITEMS)
      .refine(
        (items) => new Set(items.map((item) => item.productId)).size === items.length,
        'productIds must be unique',
      ),
  })
  .meta({ id: 'PlaceOrderRequest' });

export type PlaceOrderBody = z.output<typeof PlaceOrderBodySchema>;
