import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/** The codes of payments' own wallets, charges and refunds. */
export const WALLET_ERRORS = defineErrorCatalog({
  CHARGE_CONFLICT: {
    status: 409,
    description:
      'A charge or refund names an order id that payments already charged for another customer or amount; nothing changes.',
  },
  WALLET_EVENT_NOT_APPLICABLE: {
    status: 409,
    description:
      "Another service's wallet event cannot be applied yet (unknown customer, or a debit beyond the balance); it is delivered again.",
  },
});

export type WalletErrorCode = keyof typeof WALLET_ERRORS;

/** The one error class of payments' wallet code, with a code of {@link WALLET_ERRORS}. */
export class WalletError extends DomainError {
  constructor(
    override readonly code: WalletErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
