import type { ChargeWalletReply, ChargeWalletRequest } from '@app/contracts';
import type { WalletChargeEntity } from '../wallet/wallet-charge.entity';
import { WalletError } from '../wallet/wallet.errors';

/** What was decided for an order, before it is stored: charged with the balance after it, or rejected. */
export type ChargeOutcome = { readonly balanceAfterCents: number } | { readonly rejection: 'INSUFFICIENT_FUNDS' };

/** Whether a wallet holding `balanceCents` can pay `amountCents`. */
export function canPay(balanceCents: number, amountCents: number): boolean {
  return balanceCents >= amountCents;
}

/** What a charge is kept for: an order, its customer and amount (asked here, or another origin's debit). */
export type ChargeOf = Pick<ChargeWalletRequest, 'orderId' | 'customerId' | 'amountCents'>;

/**
 * The row that keeps the answer given for an order. Also made for an order another origin
 * (the monolith) charged, from its `wallet.debited`: the answer a charge here would have
 * given, so that a refund here gives the money back.
 */
export function chargeRecord(request: ChargeOf, outcome: ChargeOutcome, at: Date): WalletChargeEntity {
  const charged = 'balanceAfterCents' in outcome;
  return {
    orderId: request.orderId,
    customerId: request.customerId,
    amountCents: request.amountCents,
    status: charged ? 'CHARGED' : 'REJECTED',
    rejectionReason: charged ? null : outcome.rejection,
    balanceAfterCents: charged ? outcome.balanceAfterCents : null,
    chargedAt: at,
    refundedAt: null,
    refundBalanceCents: null,
  };
}

/** The answer a stored charge stands for: the same whatever the wallet holds now. */
export function chargeReplyOf(charge: WalletChargeEntity): ChargeWalletReply {
  if (charge.status === 'CHARGED') return { status: 'CHARGED', balanceCents: charge.balanceAfterCents ?? 0 };
  return { status: 'REJECTED', reason: charge.rejectionReason ?? 'INSUFFICIENT_FUNDS' };
}

/**
 * Whether another origin's refund of an order (`wallet.credited`, `refund`, applied here)
 * settles the charge kept for it: a charge not refunded yet, of the same customer. It is
 * then marked refunded, so that `payments.refund-wallet` answers `REFUNDED` and credits
 * nothing more. A rejected or already refunded charge, or one of another customer, stays as
 * it is.
 */
export function settledByForeignRefund(
  charge: WalletChargeEntity | null,
  customerId: string,
): charge is WalletChargeEntity {
  return charge !== null && charge.status === 'CHARGED' && !charge.refundedAt && charge.customerId === customerId;
}

/**
 * Refuses a request that reuses an order id for another customer or amount: answering the
 * first reply would hide the mistake, charging again would break idempotency.
 */
export function assertSameCharge(
  charge: WalletChargeEntity,
  request: Pick<ChargeWalletRequest, 'orderId' | 'customerId'> & { amountCents?: number },
): void {
  const otherCustomer = charge.customerId !== request.customerId;
  const otherAmount = request.amountCents !== undefined && charge.amountCents !== request.amountCents;
  if (otherCustomer || otherAmount) {
    throw new WalletError(
      'CHARGE_CONFLICT',
      `Order ${request.orderId} was charged for customer ${charge.customerId} and ${charge.amountCents} cents; ` +
        `this request names customer ${request.customerId}` +
        (request.amountCents === undefined ? '.' : ` and ${request.amountCents} cents.`),
    );
  }
}
