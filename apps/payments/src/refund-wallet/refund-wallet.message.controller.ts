import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RefundWallet, type RefundWalletReply, type RefundWalletRequest } from '@app/contracts';
import { RefundWalletCommand } from './refund-wallet.command';

/**
 * Answers `payments.refund-wallet` from `<prefix>req:payments`. A request that breaks its
 * contract is answered with the error `VALIDATION_FAILED` (naming each field).
 */
@Controller()
export class RefundWalletMessageController {
  constructor(private readonly commands: CommandBus) {}

  @MessagePattern(RefundWallet.pattern)
  refund(@Payload({ schema: RefundWallet.requestSchema }) request: RefundWalletRequest): Promise<RefundWalletReply> {
    return this.commands.execute(new RefundWalletCommand(request));
  }
}
