import { z } from 'zod';
import { apiText } from '@app/api-conventions';

/** The API says "int >= 0"; values are also kept within 32 bits so totals stay exact. */
export const MAX_PRICE_CENTS = 2_147_483_647;
export const MAX_INITIAL_STOCK = 2_147_483_647;

export const CreateProductBodySchema = z
  .strictObject({
    sku: z
      .string()
      .regex(/^[A-Z0-9-]{1,64}$/, 'must be 1 to 64 characters of A-Z, 0-9 and -')
      .meta({ example: 'MUG-001' }),
    name: apiText().min(1).max(200),
    priceCents: z.int().min(0).max(MAX_PRICE_CENTS),
    stock: z.int().min(0).max(MAX_INITIAL_STOCK).default(0),
  })
  .meta({ id: 'CreateProductRequest' });

export type CreateProductBody = z.output<typeof CreateProductBodySchema>;
