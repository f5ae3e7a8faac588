import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const timestamp = (name: string, isNullable = false): TableColumnOptions => text(name, 24, isNullable);
const primary = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

/** The outbox (events, per-aggregate sequences, the relay's lock row) and the inbox (messages, sequences). */
export class OutboxSchema1764000000000 implements MigrationInterface {
  name = 'OutboxSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          {
            name: 'seq',
            // SQLite's AUTOINCREMENT needs INTEGER (64-bit there); PostgreSQL makes a BIGSERIAL.
            type: postgres ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          text('id', 64),
          text('pattern', 200),
          text('aggregate_type', 100),
          text('aggregate_id', 200),
          { name: 'sequence', type: 'bigint', isNullable: true },
          { name: 'data', type: 'text' },
          { name: 'meta', type: 'text' },
          timestamp('created_at'),
          timestamp('published_at', true),
          { name: 'attempts', type: 'int', default: 0 },
          text('last_error', 1000, true),
        ],
        indices: [
          { name: 'uq_outbox_events_id', columnNames: ['id'], isUnique: true },
          // What the relay reads: the unpublished rows in insertion order.
          { name: 'ix_outbox_events_unpublished', columnNames: ['seq'], where: 'published_at IS NULL' },
          // What the purger reads.
          { name: 'ix_outbox_events_published', columnNames: ['published_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_sequences',
        columns: [
          primary(text('origin', 100)),
          primary(text('aggregate_type', 100)),
          primary(text('aggregate_id', 200)),
          { name: 'last_sequence', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_relay_lock',
        columns: [primary(text('name', 32)), text('holder', 200, true), timestamp('locked_at', true)],
      }),
    );
    await queryRunner.query(`INSERT INTO outbox_relay_lock (name) VALUES ('relay')`);
    await queryRunner.createTable(
      new Table({
        name: 'inbox_messages',
        columns: [primary(text('consumer', 100)), primary(text('message_id', 64)), timestamp('processed_at')],
        indices: [{ name: 'ix_inbox_messages_processed', columnNames: ['processed_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'inbox_sequences',
        columns: [
          primary(text('consumer', 100)),
          primary(text('aggregate_type', 100)),
          primary(text('aggregate_id', 200)),
          primary(text('origin', 100)),
          { name: 'last_sequence', type: 'bigint' },
          timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'inbox_sequences',
      'inbox_messages',
      'outbox_relay_lock',
      'outbox_sequences',
      'outbox_events',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
