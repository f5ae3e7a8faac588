import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '@app/database';

/** The one row a relay pass locks first, so that only one relay publishes at a time. */
@Entity('outbox_relay_lock')
export class OutboxRelayLockEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  /** The last relay that held it (SQLite only: PostgreSQL locks without writing). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  holder!: string | null;

  @Column({ name: 'locked_at', ...TIMESTAMP_COLUMN, nullable: true })
  lockedAt!: Date | null;
}
