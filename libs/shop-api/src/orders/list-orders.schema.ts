import { z } from 'zod';
import { PageQueryShape, UuidSchema } from '@app/api-conventions';

export const ListOrdersQuerySchema = z.object({
  ...PageQueryShape,
  customerId: UuidSchema.optional().meta({
    description:
      "Admins: only this customer's orders. Ignored for customers, who always see their own (must still be a UUID).",
  }),
});

export type ListOrdersParams = z.output<typeof ListOrdersQuerySchema>;
