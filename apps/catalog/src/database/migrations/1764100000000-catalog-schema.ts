import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const timestamp = (name: string): TableColumnOptions => text(name, 24);

/** The catalog's read model: `products`, column for column as the monolith's table. */
export class CatalogSchema1764100000000 implements MigrationInterface {
  name = 'CatalogSchema1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Binary collation on PostgreSQL, so SKUs sort as on SQLite and as the monolith does ('-' < digits < letters).
    const skuCollation = queryRunner.connection.driver.options.type === 'postgres' ? 'C' : undefined;
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          { name: 'id', type: 'uuid', isPrimary: true },
          { ...text('sku', 64), collation: skuCollation },
          text('name', 200),
          // The name lower-cased by the app (Unicode-aware on every database), for case-insensitive search.
          { name: 'name_folded', type: 'text' },
          { name: 'price_cents', type: 'bigint' },
          { name: 'stock', type: 'bigint' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        uniques: [{ name: 'uq_products_sku', columnNames: ['sku'] }],
        checks: [{ name: 'ck_products_stock', expression: 'stock >= 0' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('products');
  }
}
