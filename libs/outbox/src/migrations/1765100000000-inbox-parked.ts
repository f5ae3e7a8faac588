import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Events that came before their predecessor, kept by the consumer until it has applied the predecessor. */
export class InboxParked1765100000000 implements MigrationInterface {
  name = 'InboxParked1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'inbox_parked',
        columns: [
          { name: 'consumer', type: 'varchar', length: '100', isPrimary: true },
          { name: 'message_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'aggregate_type', type: 'varchar', length: '100' },
          { name: 'aggregate_id', type: 'varchar', length: '200' },
          { name: 'origin', type: 'varchar', length: '100' },
          { name: 'sequence', type: 'bigint' },
          { name: 'pattern', type: 'varchar', length: '200' },
          { name: 'data', type: 'text' },
          { name: 'parked_at', type: 'varchar', length: '24' },
          { name: 'repair_requested_at', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [
          {
            name: 'ix_inbox_parked_aggregate',
            columnNames: ['consumer', 'aggregate_type', 'aggregate_id', 'origin', 'sequence'],
          },
          { name: 'ix_inbox_parked_at', columnNames: ['consumer', 'parked_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inbox_parked');
  }
}
