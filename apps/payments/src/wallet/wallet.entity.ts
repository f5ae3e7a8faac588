import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** A customer's wallet, as payments knows it: built from the customer's events, changed by deposits and charges. */
@Entity('wallets')
export class WalletEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** Never below zero (a check constraint says so too). */
  @Column({ name: 'balance_cents', type: 'bigint', transformer: bigintAsNumber })
  balanceCents!: number;

  /** When the customer registered (from `customer.registered` or `customer.snapshot`). */
  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
