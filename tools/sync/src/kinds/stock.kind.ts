import { type AggregateKind, integer } from './aggregate-kind';

/**
 * A product's stock. The monolith, inventory and the catalog's read model all apply
 * `product.created` and `stock.adjusted` of the other origins (inventory and the catalog also
 * `product.snapshot`; see each app's consumed-events.ts), so each holds every product.
 */
export const STOCK: AggregateKind = {
  name: 'stock',
  aggregateType: 'product',
  fields: [integer('stock')],
  events: { creates: ['product.created', 'product.snapshot'], changes: ['stock.adjusted'] },
  sides: [
    { process: 'legacy-monolith', sql: 'SELECT id AS id, stock AS stock FROM products' },
    { process: 'inventory', sql: 'SELECT product_id AS id, stock AS stock FROM product_stock' },
    { process: 'catalog', sql: 'SELECT id AS id, stock AS stock FROM products' },
  ],
};
