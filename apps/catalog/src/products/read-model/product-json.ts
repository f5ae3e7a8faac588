import type { Page, PageQuery } from '@app/api-conventions';
import { type ProductRecord, type ProductView, toProductView } from '@app/shop-api';

/**
 * A product's `GET /api/products/{id}` body, byte for byte: what the read model stores next to
 * the product, so that a read sends it as it is instead of mapping and serialising a row.
 */
export function productJson(product: ProductRecord): string {
  return JSON.stringify(toProductView(product));
}

/** A page's body from the stored bodies of its items: the same bytes as `JSON.stringify(toPage(…))`. */
export function productPageJson(items: readonly string[], total: number, query: PageQuery): string {
  const page: Omit<Page<ProductView>, 'items'> = { total, limit: query.limit, offset: query.offset };
  return `{"items":[${items.join(',')}],${JSON.stringify(page).slice(1)}`;
}

/** The `Content-Type` Express gives a JSON body (`res.json`), for the routes that send stored JSON text. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
