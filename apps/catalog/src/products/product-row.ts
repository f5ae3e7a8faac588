import { type ProductRecord, foldForSearch } from '@app/shop-api';
import type { ProductEntity } from './product.entity';
import { productJson } from './read-model/product-json';

/** Every column of a product in this state, the derived ones (folded name, stored body) included. */
export function productRow(product: ProductRecord): ProductEntity {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    nameFolded: foldForSearch(product.name),
    priceCents: product.priceCents,
    stock: product.stock,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    view: productJson(product),
  };
}
