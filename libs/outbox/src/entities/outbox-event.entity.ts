import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** An event written in the transaction of the change it describes, published by the relay after commit. */
@Entity('outbox_events')
export class OutboxEventEntity {
  /** Insertion order: the relay publishes unpublished rows by it. */
  @PrimaryColumn({ type: 'bigint', generated: 'increment', transformer: bigintAsNumber })
  seq!: number;

  /** The event id, which is also the envelope id consumers deduplicate by. */
  @Index('uq_outbox_events_id', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  pattern!: string;

  @Column({ name: 'aggregate_type', type: 'varchar', length: 100 })
  aggregateType!: string;

  @Column({ name: 'aggregate_id', type: 'varchar', length: 200 })
  aggregateId!: string;

  /** The event's number within its aggregate (per origin); null for unsequenced events (snapshots). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  sequence!: number | null;

  /** The event body as JSON (with `sequence` for sequenced events). */
  @Column({ type: 'text' })
  data!: string;

  /** The envelope metadata as JSON, captured when the event was added. */
  @Column({ type: 'text' })
  meta!: string;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'published_at', ...TIMESTAMP_COLUMN, nullable: true })
  publishedAt!: Date | null;

  /** Publishing attempts, failed or not. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;
}
