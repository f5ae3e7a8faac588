import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ReleaseStock, type ReleaseStockReply, type ReleaseStockRequest } from '@app/contracts';
import { ReleaseStockCommand } from './release-stock.command';

/** Answers `inventory.release-stock` (request/reply from `<prefix>req:inventory`); the request is checked against its contract. */
@Controller()
export class ReleaseStockMessageController {
  constructor(private readonly commands: CommandBus) {}

  @MessagePattern(ReleaseStock.pattern)
  release(@Payload({ schema: ReleaseStock.requestSchema }) request: ReleaseStockRequest): Promise<ReleaseStockReply> {
    return this.commands.execute(new ReleaseStockCommand(request.orderId));
  }
}
