import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@app/database';

/** One line of an order, at the price it was placed at; `position` keeps the order of the request. */
@Entity('order_items')
export class OrderItemEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ type: 'int' })
  position!: number;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'unit_price_cents', type: 'bigint', transformer: bigintAsNumber })
  unitPriceCents!: number;
}
