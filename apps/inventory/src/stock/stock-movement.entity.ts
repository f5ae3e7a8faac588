import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** Why a stock changed, as `stock.adjusted` names it (`reason`). */
export type StockMovementKind = 'adjustment' | 'order' | 'cancellation';

/** The stock's ledger: every change of a product's stock, made here or applied from elsewhere, with the stock after it. */
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

  /** The text recorded with the change (the `note` of `stock.adjusted`). */
  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;
}
