import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** What inventory knows of a product: its stock, built from the catalog's events and changed here. */
@Entity('product_stock')
export class ProductStockEntity {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId!: string;

  /** Never below zero (a check constraint says so too). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  stock!: number;

  /** The product's `createdAt`, as its creator published it. */
  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  /** The product's `updatedAt`: moves with every change of its stock, here or elsewhere. */
  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
