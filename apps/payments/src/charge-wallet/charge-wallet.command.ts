import { Command } from '@nestjs/cqrs';
import type { ChargeWalletReply, ChargeWalletRequest } from '@app/contracts';

/** `payments.charge-wallet`, as the saga sent it (validated against its contract). */
export class ChargeWalletCommand extends Command<ChargeWalletReply> {
  constructor(readonly request: ChargeWalletRequest) {
    super();
  }
}
