import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/**
 * An event a consumer received before its predecessor (same aggregate and origin): kept with
 * its data until the predecessor has been applied, then applied and deleted.
 */
@Entity('inbox_parked')
export class InboxParkedEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer!: string;

  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 64 })
  messageId!: string;

  @Column({ name: 'aggregate_type', type: 'varchar', length: 100 })
  aggregateType!: string;

  @Column({ name: 'aggregate_id', type: 'varchar', length: 200 })
  aggregateId!: string;

  @Column({ type: 'varchar', length: 100 })
  origin!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  sequence!: number;

  @Column({ type: 'varchar', length: 200 })
  pattern!: string;

  @Column({ type: 'text' })
  data!: string;

  @Column({ name: 'parked_at', ...TIMESTAMP_COLUMN })
  parkedAt!: Date;

  @Column({ name: 'repair_requested_at', ...TIMESTAMP_COLUMN, nullable: true })
  repairRequestedAt!: Date | null;
}
