import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/**
 * A product of the read model: the monolith's columns (same types and SKU collation), and the
 * body the read routes send, stored with them.
 */
@Entity('products')
export class ProductEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** `name` lower-cased with `foldForSearch` (`@app/shop-api`); what `?q=` searches. */
  @Column({ name: 'name_folded', type: 'text' })
  nameFolded!: string;

  @Column({ name: 'price_cents', type: 'bigint', transformer: bigintAsNumber })
  priceCents!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  stock!: number;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  /** Changes with any change of the product, stock included. */
  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;

  /** The product's body as the read routes send it (`productJson` of the columns above); kept in step by every write. */
  @Column({ type: 'text' })
  view!: string;
}
