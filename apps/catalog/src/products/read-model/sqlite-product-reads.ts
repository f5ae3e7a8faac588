import type { Database, Statement } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '@app/database';
import type { ListProductsParams } from '@app/shop-api';
import { ProductReads, type ProductRows, type ProductSearch } from './product-reads';

interface Statements {
  readonly byId: Statement<[string], string>;
  readonly count: Statement<[], number>;
  readonly page: Statement<[number, number], string>;
  /** Row ids of the matching products in SKU order, from the `(sku, name_folded)` index alone. */
  readonly matches: Statement<[ProductSearch], number>;
  readonly views: Statement<[string], string>;
}

/**
 * SQLite (better-sqlite3): prepared statements on the data source's connection, run through
 * the unit of work's queue so that no read sees a transaction in progress. A search scans the
 * `(sku, name_folded)` index once, in SKU order, for the matching row ids (their number is the
 * total), then reads the stored bodies of the page's rows only.
 */
export class SqliteProductReads extends ProductReads {
  private prepared: { readonly connection: Database; readonly statements: Statements } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  byId(productId: string): Promise<string | undefined> {
    return this.uow.read(async () => this.statements().byId.get(productId));
  }

  page(params: ListProductsParams, search: ProductSearch | undefined): Promise<ProductRows> {
    return this.uow.read(async () => {
      const statements = this.statements();
      if (!search) {
        return { items: statements.page.all(params.limit, params.offset), total: statements.count.get() ?? 0 };
      }
      const rowIds = statements.matches.all(search);
      const pageIds = rowIds.slice(params.offset, params.offset + params.limit);
      return { items: pageIds.length > 0 ? statements.views.all(JSON.stringify(pageIds)) : [], total: rowIds.length };
    });
  }

  /** The statements, prepared once per connection (the data source may have been re-initialised). */
  private statements(): Statements {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    if (this.prepared?.connection !== connection) {
      this.prepared = { connection, statements: prepare(connection) };
    }
    return this.prepared.statements;
  }
}

function prepare(db: Database): Statements {
  return {
    byId: db.prepare<[string], string>('SELECT view FROM products WHERE id = ?').pluck(),
    count: db.prepare<[], number>('SELECT COUNT(*) FROM products').pluck(),
    page: db.prepare<[number, number], string>('SELECT view FROM products ORDER BY sku LIMIT ? OFFSET ?').pluck(),
    matches: db
      .prepare<[ProductSearch], number>(
        'SELECT rowid FROM products INDEXED BY ix_products_search ' +
          'WHERE instr(name_folded, @name) > 0 OR instr(sku, @sku) > 0 ORDER BY sku',
      )
      .pluck(),
    views: db
      .prepare<[string], string>(
        'SELECT view FROM products WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY sku',
      )
      .pluck(),
  };
}
