import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/**
 * What changed a balance: `deposit`, `order_debit` and `order_refund` as in the monolith's
 * ledger; `opening` is the balance a wallet was opened with (`customer.registered`), and
 * `snapshot` the difference a `customer.snapshot` made to a wallet that already existed.
 */
export type WalletEntryKind = 'opening' | 'deposit' | 'order_debit' | 'order_refund' | 'snapshot';

/** The wallet's ledger: every change of a balance, as a signed amount and the balance after it. */
@Entity('wallet_entries')
export class WalletEntryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: WalletEntryKind;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintAsNumber })
  amountCents!: number;

  @Column({ name: 'balance_after_cents', type: 'bigint', transformer: bigintAsNumber })
  balanceAfterCents!: number;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId!: string | null;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;
}
