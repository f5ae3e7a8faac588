import { Column, Entity, MigrationInterface, PrimaryColumn, QueryRunner, Table } from 'typeorm';

/** A table of the test app's own, so that tests can see whether a handler's writes were kept. */
@Entity('test_ledger')
export class TestLedgerEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  note!: string;
}

export class TestLedger1763000000000 implements MigrationInterface {
  name = 'TestLedger1763000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'test_ledger',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'note', type: 'varchar', length: '200' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('test_ledger');
  }
}
