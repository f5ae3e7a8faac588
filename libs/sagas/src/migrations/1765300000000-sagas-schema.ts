import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The `saga_instances` table, with the index the executors look for due instances by. */
export class SagasSchema1765300000000 implements MigrationInterface {
  name = 'SagasSchema1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'saga_instances',
        columns: [
          { name: 'id', type: 'uuid', isPrimary: true },
          { name: 'saga', type: 'varchar', length: '100' },
          { name: 'status', type: 'varchar', length: '24' },
          { name: 'step', type: 'int' },
          { name: 'attempt', type: 'int' },
          { name: 'data', type: 'text' },
          { name: 'failure_step', type: 'varchar', length: '100', isNullable: true },
          { name: 'failure_reason', type: 'varchar', length: '100', isNullable: true },
          { name: 'due_at', type: 'bigint', isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until', type: 'bigint', isNullable: true },
          { name: 'history', type: 'text' },
          { name: 'positions', type: 'text', isNullable: true },
          { name: 'version', type: 'int' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
        indices: [
          { name: 'ix_saga_instances_due', columnNames: ['due_at'] },
          { name: 'ix_saga_instances_status', columnNames: ['status'] },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('saga_instances', true);
  }
}
