import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';

/** `snapshot`: the difference a `wallet.snapshot` from payments set the balance by. */
export type WalletEntryKind = 'deposit' | 'order_debit' | 'order_refund' | 'snapshot';

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
