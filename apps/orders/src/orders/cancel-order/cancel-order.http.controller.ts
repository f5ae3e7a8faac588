import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidSchema } from '@app/api-conventions';
import { CurrentPrincipal, Principal } from '@app/auth';
import { CancelOrderBodySchema, OrderSchema, OrderView } from '@app/shop-api';
import { ORDERS_ERRORS } from '../../orders-errors';
import { CancelOrderCommand } from './cancel-order.command';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class CancelOrderHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel an APPROVED order (its customer, or an admin): the stock goes back and the total is refunded.',
    description:
      'Runs as a saga (inventory puts the stock back, then payments refunds); the answer comes once it ended, or ' +
      'after ORDERS_SAGA_WAIT_MS, when the order is CANCELLED already and the rest follows.',
  })
  @ApiResponse({ status: 200, description: 'The order, now CANCELLED.', standardSchema: OrderSchema })
  @ApiErrorResponses(
    ORDERS_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'ORDER_NOT_FOUND',
    'ORDER_NOT_CANCELLABLE',
  )
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidSchema }) id: string,
    @Body({ schema: CancelOrderBodySchema }) _body: unknown,
  ): Promise<OrderView> {
    return this.commands.execute(new CancelOrderCommand(principal, id));
  }
}
