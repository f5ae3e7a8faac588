import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ReserveStock, type ReserveStockReply, type ReserveStockRequest } from '@app/contracts';
import { ReserveStockCommand } from './reserve-stock.command';

/** Answers `inventory.reserve-stock` (request/reply from `<prefix>req:inventory`); the request is checked against its contract. */
@Controller()
export class ReserveStockMessageController {
  constructor(private readonly commands: CommandBus) {}

  @MessagePattern(ReserveStock.pattern)
  reserve(@Payload({ schema: ReserveStock.requestSchema }) request: ReserveStockRequest): Promise<ReserveStockReply> {
    return this.commands.execute(new ReserveStockCommand(request.orderId, request.items));
  }
}
