import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const uuid = (name: string): TableColumnOptions => ({ name, type: 'uuid' });
const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const cents = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const timestamp = (name: string): TableColumnOptions => text(name, 24);

/** Orders' schema: orders and their items (as the monolith keeps them), and what it knows of products and customers. */
export class OrdersSchema1765400000000 implements MigrationInterface {
  name = 'OrdersSchema1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('customer_id'),
          cents('total_cents'),
          text('status', 16),
          text('rejection_reason', 32, true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        checks: [{ name: 'ck_orders_total', expression: 'total_cents >= 0' }],
        indices: [
          { name: 'ix_orders_created', columnNames: ['created_at', 'id'] },
          { name: 'ix_orders_customer_created', columnNames: ['customer_id', 'created_at', 'id'] },
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
        foreignKeys: [{ columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'product_prices',
        columns: [{ ...uuid('product_id'), isPrimary: true }, cents('price_cents'), timestamp('updated_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'shoppers',
        columns: [{ ...uuid('customer_id'), isPrimary: true }, timestamp('created_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['shoppers', 'product_prices', 'order_items', 'orders']) await queryRunner.dropTable(table);
  }
}
