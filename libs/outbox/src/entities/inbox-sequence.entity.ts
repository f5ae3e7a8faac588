import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** The last sequence a consumer applied of an aggregate's events from one origin. Never purged. */
@Entity('inbox_sequences')
export class InboxSequenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer!: string;

  @PrimaryColumn({ name: 'aggregate_type', type: 'varchar', length: 100 })
  aggregateType!: string;

  @PrimaryColumn({ name: 'aggregate_id', type: 'varchar', length: 200 })
  aggregateId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  origin!: string;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: bigintAsNumber })
  lastSequence!: number;

  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
