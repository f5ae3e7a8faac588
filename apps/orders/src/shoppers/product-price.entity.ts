import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** What orders knows of a product: that it exists, and its current price (from the product events). */
@Entity('product_prices')
export class ProductPriceEntity {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ name: 'price_cents', type: 'bigint', transformer: bigintAsNumber })
  priceCents!: number;

  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
