import { z } from 'zod';
import { pageSchema } from '@app/api-conventions';
import type { ProductEntity } from './product.entity';

export const ProductSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    priceCents: z.int().min(0),
    stock: z.int().min(0),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().meta({ description: 'Changes with any change of the product, stock included.' }),
  })
  .meta({ id: 'Product' });

export type ProductView = z.infer<typeof ProductSchema>;

export const ProductPageSchema = pageSchema(ProductSchema, 'ProductPage');

export function toProductView(product: ProductEntity): ProductView {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    priceCents: product.priceCents,
    stock: product.stock,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
