import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '@app/database';

/** A message a consumer applied, kept `INBOX_RETENTION_HOURS` to drop redeliveries. */
@Entity('inbox_messages')
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer!: string;

  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 64 })
  messageId!: string;

  @Column({ name: 'processed_at', ...TIMESTAMP_COLUMN })
  processedAt!: Date;
}
