import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * `idempotency_keys.positions`: what the key's transaction committed, replayed with its response.
 * Nullable: keys stored before it have none, and their replays report none.
 */
export class IdempotencyKeyPositions1765200000000 implements MigrationInterface {
  name = 'IdempotencyKeyPositions1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'idempotency_keys',
      new TableColumn({ name: 'positions', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('idempotency_keys', 'positions');
  }
}
