import { z } from 'zod';
import { pageSchema } from '@app/api-conventions';

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

/** What a product view is made from: a product as any process stores it. */
export interface ProductRecord {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function toProductView(product: ProductRecord): ProductView {
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
