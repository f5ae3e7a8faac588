import type { DataSource } from 'typeorm';
import type { ListProductsParams } from '@app/shop-api';
import { ProductReads, type ProductRows, type ProductSearch } from './product-reads';

const MATCHES = 'strpos(name_folded, $1) > 0 OR strpos(sku, $2) > 0';

/**
 * PostgreSQL: plain parameterised statements on the pool (no transaction: each is one
 * consistent snapshot). A page and its total come from one statement: with a search, which
 * reads every row anyway, `COUNT(*) OVER ()`; without one, the page by the SKU index and the
 * count as a subquery, so that no other row's body is read. Only a page past the last match
 * needs a second statement for the total.
 */
export class PostgresProductReads extends ProductReads {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async byId(productId: string): Promise<string | undefined> {
    const rows: { view: string }[] = await this.dataSource.query('SELECT view FROM products WHERE id = $1', [
      productId,
    ]);
    return rows[0]?.view;
  }

  async page(params: ListProductsParams, search: ProductSearch | undefined): Promise<ProductRows> {
    const where = search ? `WHERE ${MATCHES}` : '';
    const filter = search ? [search.name, search.sku] : [];
    const total = search ? 'COUNT(*) OVER ()' : '(SELECT COUNT(*) FROM products)';
    const n = filter.length;
    const rows: { view: string; total: string }[] = await this.dataSource.query(
      `SELECT view, ${total} AS total FROM products ${where} ORDER BY sku LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...filter, params.limit, params.offset],
    );
    if (rows.length > 0) return { items: rows.map((row) => row.view), total: Number(rows[0]!.total) };
    if (params.offset === 0) return { items: [], total: 0 };
    const [count] = (await this.dataSource.query(`SELECT COUNT(*) AS total FROM products ${where}`, filter)) as {
      total: string;
    }[];
    return { items: [], total: Number(count?.total ?? 0) };
  }
}
