import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** `snapshot`: the difference a `stock.snapshot` from inventory set the stock by. */
export type StockMovementKind = 'adjustment' | 'order' | 'cancellation' | 'snapshot';

/** The stock's ledger: every change of a product's stock, with why and the stock after it. */
@Entity('stock_movements')
export class StockMovementEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: StockMovementKind;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  delta!: number;

  @Column({ name: 'stock_after', type: 'bigint', transformer: bigintAsNumber })
  stockAfter!: number;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;
}
