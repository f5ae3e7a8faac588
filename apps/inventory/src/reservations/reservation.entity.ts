import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '@app/database';

/**
 * Where an order's reservation stands:
 * - `RESERVED`: its stock is taken;
 * - `REJECTED`: nothing was taken (`reply` says why);
 * - `RELEASED`: its stock was taken, then put back;
 * - `CLOSED`: released before it was ever reserved; a later reservation takes nothing;
 * - `CANCELLED`: its stock was taken, then put back by another origin (the monolith's
 *   cancellation of the order, applied here); a release answers `RELEASED` and changes nothing.
 *
 * `RESERVED` and `CANCELLED` reservations are also recorded from another origin's
 * `stock.adjusted` of an order it placed (see `foreign-orders/`).
 */
export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED' | 'CLOSED' | 'CANCELLED';

/**
 * One order's reservation, keyed by the order id: what the first `inventory.reserve-stock`
 * answered, or, for an order another origin placed, the reply such a reservation would have given.
 */
@Entity('reservations')
export class ReservationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ReservationStatus;

  /**
   * The reply to `inventory.reserve-stock` (JSON), answered again to every repeat; null when
   * `CLOSED`, or `CANCELLED` before any line of the order arrived.
   */
  @Column({ type: 'text', nullable: true })
  reply!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
