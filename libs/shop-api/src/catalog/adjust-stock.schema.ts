import { z } from 'zod';
import { apiText } from '@app/api-conventions';

export const MAX_ADJUSTMENT = 1_000_000;

export const AdjustStockBodySchema = z
  .strictObject({
    delta: z
      .int()
      .min(-MAX_ADJUSTMENT)
      .max(MAX_ADJUSTMENT)
      .refine((delta) => delta !== 0, 'must not be 0'),
    reason: apiText().min(1).max(200),
  })
  .meta({ id: 'StockAdjustmentRequest' });

export type AdjustStockBody = z.output<typeof AdjustStockBodySchema>;

export const StockAdjustmentSchema = z
  .object({ productId: z.uuid(), delta: z.int(), stock: z.int().min(0) })
  .meta({ id: 'StockAdjustment' });

export type StockAdjustmentView = z.infer<typeof StockAdjustmentSchema>;
