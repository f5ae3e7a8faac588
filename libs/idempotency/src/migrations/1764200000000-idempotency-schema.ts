import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * The `idempotency_keys` table. Created only if missing: the monolith's first migration made
 * the same table before this library existed.
 */
export class IdempotencySchema1764200000000 implements MigrationInterface {
  name = 'IdempotencySchema1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'principal_id', type: 'uuid', isPrimary: true },
          { name: 'key', type: 'varchar', length: '128', isPrimary: true },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'response_status', type: 'int' },
          { name: 'response_body', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [{ name: 'ix_idempotency_keys_created', columnNames: ['created_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys', true);
  }
}
