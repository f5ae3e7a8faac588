import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const uuid = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'uuid', isNullable });
const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const count = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const timestamp = (name: string): TableColumnOptions => text(name, 24);

/** Inventory's schema: the stock of each product, its ledger, and the reservations of orders. */
export class InventorySchema1764201600000 implements MigrationInterface {
  name = 'InventorySchema1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'product_stock',
        columns: [
          { ...uuid('product_id'), isPrimary: true },
          count('stock'),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        checks: [{ name: 'ck_product_stock_stock', expression: 'stock >= 0' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'stock_movements',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('product_id'),
          text('kind', 16),
          count('delta'),
          count('stock_after'),
          text('reason', 200),
          uuid('order_id', true),
          timestamp('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['product_id'], referencedTableName: 'product_stock', referencedColumnNames: ['product_id'] },
        ],
        indices: [{ name: 'ix_stock_movements_product', columnNames: ['product_id', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reservations',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          text('status', 16),
          { name: 'reply', type: 'text', isNullable: true },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reservation_lines',
        columns: [
          { ...uuid('order_id'), isPrimary: true },
          { ...uuid('product_id'), isPrimary: true },
          { name: 'quantity', type: 'int' },
        ],
        foreignKeys: [
          { columnNames: ['order_id'], referencedTableName: 'reservations', referencedColumnNames: ['order_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reservation_lines', 'reservations', 'stock_movements', 'product_stock']) {
      await queryRunner.dropTable(table);
    }
  }
}
