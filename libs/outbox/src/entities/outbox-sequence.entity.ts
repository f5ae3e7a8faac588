import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@app/database';

/** The last sequence number given to an aggregate's events by one origin. */
@Entity('outbox_sequences')
export class OutboxSequenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  origin!: string;

  @PrimaryColumn({ name: 'aggregate_type', type: 'varchar', length: 100 })
  aggregateType!: string;

  @PrimaryColumn({ name: 'aggregate_id', type: 'varchar', length: 200 })
  aggregateId!: string;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: bigintAsNumber })
  lastSequence!: number;
}
