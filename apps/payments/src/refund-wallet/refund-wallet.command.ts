import { Command } from '@nestjs/cqrs';
import type { RefundWalletReply, RefundWalletRequest } from '@app/contracts';

/** `payments.refund-wallet`, as the saga sent it (validated against its contract). */
export class RefundWalletCommand extends Command<RefundWalletReply> {
  constructor(readonly request: RefundWalletRequest) {
    super();
  }
}
