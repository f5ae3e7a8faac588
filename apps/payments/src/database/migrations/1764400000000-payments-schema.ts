import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const uuid = (name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'uuid',
  ...options,
});
const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const cents = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });
const timestamp = (name: string, isNullable = false): TableColumnOptions => text(name, 24, isNullable);

/** Payments' schema: wallets, their ledger, and the charges made for orders. Works on SQLite and PostgreSQL. */
export class PaymentsSchema1764400000000 implements MigrationInterface {
  name = 'PaymentsSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'wallets',
        columns: [
          uuid('customer_id', { isPrimary: true }),
          cents('balance_cents'),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        checks: [{ name: 'ck_wallets_balance', expression: 'balance_cents >= 0' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'wallet_entries',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('customer_id'),
          text('kind', 16),
          cents('amount_cents'),
          cents('balance_after_cents'),
          uuid('order_id', { isNullable: true }),
          timestamp('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['customer_id'], referencedTableName: 'wallets', referencedColumnNames: ['customer_id'] },
        ],
        indices: [{ name: 'ix_wallet_entries_customer', columnNames: ['customer_id', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'wallet_charges',
        columns: [
          uuid('order_id', { isPrimary: true }),
          uuid('customer_id'),
          cents('amount_cents'),
          text('status', 16),
          text('rejection_reason', 32, true),
          cents('balance_after_cents', true),
          timestamp('charged_at'),
          timestamp('refunded_at', true),
          cents('refund_balance_cents', true),
        ],
        indices: [{ name: 'ix_wallet_charges_customer', columnNames: ['customer_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['wallet_charges', 'wallet_entries', 'wallets']) await queryRunner.dropTable(table);
  }
}
