import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One item of a reservation request, keyed by order and product: what a release puts back. */
@Entity('reservation_lines')
export class ReservationLineEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'int' })
  quantity!: number;
}
