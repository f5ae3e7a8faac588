import { type AggregateKind, integer, text } from './aggregate-kind';

const COLUMNS =
  'SELECT id AS id, sku AS sku, name AS name, price_cents AS "priceCents", created_at AS "createdAt", ' +
  'updated_at AS "updatedAt" FROM products';

/**
 * The product fields the catalog's read model mirrors from the monolith (stock is the `stock`
 * kind). Both apply `product.created` and `product.updated` (the catalog also
 * `product.snapshot`). Inventory keeps no product fields: it does not consume
 * `product.updated` (apps/inventory/src/consumed-events.ts), so it is no side of this kind.
 * `updatedAt` moves with stock changes too, and both keep the latest.
 */
export const PRODUCTS: AggregateKind = {
  name: 'products',
  aggregateType: 'product',
  fields: [text('sku'), text('name'), integer('priceCents'), text('createdAt'), text('updatedAt')],
  events: { creates: ['product.created', 'product.snapshot'], changes: ['product.updated'] },
  sides: [
    { process: 'legacy-monolith', sql: COLUMNS },
    { process: 'catalog', sql: COLUMNS },
  ],
};
