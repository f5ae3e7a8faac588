import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber, isoTimestamp } from '@app/database';

export type ChargeStatus = 'CHARGED' | 'REJECTED';

/**
 * The answer payments gave to `payments.charge-wallet` for one order, kept so that the saga
 * asking again gets the same answer (and a refund knows what to give back). One row per order.
 * An order another origin (the monolith) charged is kept too, from its `wallet.debited`, as
 * the `CHARGED` answer a charge here would have given; its `wallet.credited` (`refund`) marks
 * it refunded.
 */
@Entity('wallet_charges')
export class WalletChargeEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** What was asked (and, when `CHARGED`, debited). */
  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintAsNumber })
  amountCents!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ChargeStatus;

  /** `INSUFFICIENT_FUNDS` when `REJECTED`, otherwise null. */
  @Column({ name: 'rejection_reason', type: 'varchar', length: 32, nullable: true })
  rejectionReason!: 'INSUFFICIENT_FUNDS' | null;

  /** The balance right after the debit (`CHARGED`; payments' balance, for another origin's debit), otherwise null. */
  @Column({ name: 'balance_after_cents', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  balanceAfterCents!: number | null;

  @Column({ name: 'charged_at', ...TIMESTAMP_COLUMN })
  chargedAt!: Date;

  /** When the charge was refunded (`payments.refund-wallet`, or another origin's refund applied here), otherwise null. */
  @Column({ name: 'refunded_at', type: 'varchar', length: 24, nullable: true, transformer: isoTimestamp })
  refundedAt!: Date | null;

  /** The balance right after the refund, answered again to a repeated refund. */
  @Column({ name: 'refund_balance_cents', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  refundBalanceCents!: number | null;
}
