import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ChargeWallet, type ChargeWalletReply, type ChargeWalletRequest } from '@app/contracts';
import { ChargeWalletCommand } from './charge-wallet.command';

/**
 * Answers `payments.charge-wallet` from `<prefix>req:payments`. A request that breaks its
 * contract is answered with the error `VALIDATION_FAILED` (naming each field).
 */
@Controller()
export class ChargeWalletMessageController {
  constructor(private readonly commands: CommandBus) {}

  @MessagePattern(ChargeWallet.pattern)
  charge(@Payload({ schema: ChargeWallet.requestSchema }) request: ChargeWalletRequest): Promise<ChargeWalletReply> {
    return this.commands.execute(new ChargeWalletCommand(request));
  }
}
