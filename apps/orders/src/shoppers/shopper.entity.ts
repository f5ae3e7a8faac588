import { Entity, PrimaryColumn, Column } from 'typeorm';
import { TIMESTAMP_COLUMN } from '@app/database';

/** A customer orders knows of (from the customer events): only customers that exist may order. */
@Entity('shoppers')
export class ShopperEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;
}
