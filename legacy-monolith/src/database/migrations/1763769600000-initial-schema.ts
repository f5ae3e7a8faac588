import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'uuid', isPrimary: true });
const uuid = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'uuid', isNullable });
const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const cents = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const timestamp = (name: string): TableColumnOptions => text(name, 24);

/** The monolith's schema: customers and wallets, catalog and stock, orders, idempotency keys. */
export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Binary collation on PostgreSQL, so SKUs sort as on SQLite and as the API states ('-' < digits < letters).
    const skuCollation = queryRunner.connection.driver.options.type === 'postgres' ? 'C' : undefined;

    await queryRunner.createTable(
      new Table({
        name: 'customers',
        columns: [
          id(),
          text('name', 100),
          text('email', 320),
          text('password_hash', 255),
          cents('balance_cents'),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        uniques: [{ name: 'uq_customers_email', columnNames: ['email'] }],
        checks: [{ name: 'ck_customers_balance', expression: 'balance_cents >= 0' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'admin_accounts',
        columns: [id(), text('email', 320), text('password_hash', 255), timestamp('created_at')],
        uniques: [{ name: 'uq_admin_accounts_email', columnNames: ['email'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'wallet_entries',
        columns: [
          id(),
          uuid('customer_id'),
          text('kind', 16),
          cents('amount_cents'),
          cents('balance_after_cents'),
          uuid('order_id', true),
          timestamp('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'] },
        ],
        indices: [{ name: 'ix_wallet_entries_customer', columnNames: ['customer_id', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          id(),
          { ...text('sku', 64), collation: skuCollation },
          text('name', 200),
          // The name lower-cased by the app (Unicode-aware on every database), for case-insensitive search.
          { name: 'name_folded', type: 'text' },
          cents('price_cents'),
          { name: 'stock', type: 'bigint' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        uniques: [{ name: 'uq_products_sku', columnNames: ['sku'] }],
        checks: [{ name: 'ck_products_stock', expression: 'stock >= 0' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'stock_movements',
        columns: [
          id(),
          uuid('product_id'),
          text('kind', 16),
          { name: 'delta', type: 'bigint' },
          { name: 'stock_after', type: 'bigint' },
          text('reason', 200),
          uuid('order_id', true),
          timestamp('created_at'),
        ],
        foreignKeys: [{ columnNames: ['product_id'], referencedTableName: 'products', referencedColumnNames: ['id'] }],
        indices: [{ name: 'ix_stock_movements_product', columnNames: ['product_id', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          id(),
          uuid('customer_id'),
          cents('total_cents'),
          text('status', 16),
          text('rejection_reason', 32, true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [
          { columnNames: ['customer_id'], referencedTableName: 'customers', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'ix_orders_newest', columnNames: ['created_at', 'id'] },
          { name: 'ix_orders_customer_newest', columnNames: ['customer_id', 'created_at', 'id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'order_items',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          { name: 'position', type: 'int', isPrimary: true },
          uuid('product_id'),
          { name: 'quantity', type: 'int' },
          cents('unit_price_cents'),
        ],
        foreignKeys: [
          { columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] },
          { columnNames: ['product_id'], referencedTableName: 'products', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...uuid('principal_id'), isPrimary: true },
          { ...text('key', 128), isPrimary: true },
          text('fingerprint', 64),
          { name: 'response_status', type: 'int' },
          { name: 'response_body', type: 'text' },
          timestamp('created_at'),
        ],
        indices: [{ name: 'ix_idempotency_keys_created', columnNames: ['created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'order_items',
      'orders',
      'stock_movements',
      'products',
      'wallet_entries',
      'admin_accounts',
      'customers',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
