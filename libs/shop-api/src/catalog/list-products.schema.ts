import { z } from 'zod';
import { PageQueryShape, apiText } from '@app/api-conventions';

export const ListProductsQuerySchema = z.object({
  ...PageQueryShape,
  q: apiText()
    .max(200)
    .optional()
    .meta({ description: 'Case-insensitive substring of the name or the SKU (up to 200 characters).' }),
});

export type ListProductsParams = z.output<typeof ListProductsQuerySchema>;
