import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, IdempotencyKey } from '@app/api-conventions';
import { AWAIT_HEADER } from '@app/contracts';
import { CurrentPrincipal, Principal, Roles } from '@app/auth';
import { OrderSchema, OrderView, PlaceOrderBody, PlaceOrderBodySchema } from '@app/shop-api';
import { ORDERS_ERRORS } from '../../orders-errors';
import { PlaceOrderCommand } from './place-order.command';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class PlaceOrderHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Roles('customer')
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Place an order (customers only), as a saga over inventory and payments.',
    description:
      "Each item is priced at the product's current price. The stock is reserved (inventory), then the wallet " +
      'charged (payments): the order is APPROVED; otherwise what was done is undone and the order is stored as ' +
      'REJECTED with OUT_OF_STOCK (checked first) or INSUFFICIENT_FUNDS. Both answer 201 with the final status ' +
      'when the saga ends within ORDERS_SAGA_WAIT_MS (3 s by default); past it, 201 with PENDING, and a later ' +
      'GET shows the final status. With an Idempotency-Key, a repeat with the same body returns the order as ' +
      'first answered (once settled) and places nothing; the same key with another body gets 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 128 printable ASCII characters.' })
  @ApiResponse({ status: 201, description: 'The order: APPROVED, REJECTED, or PENDING.', standardSchema: OrderSchema })
  @ApiErrorResponses(
    ORDERS_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'PRODUCT_NOT_FOUND',
    'IDEMPOTENCY_KEY_REUSED',
  )
  place(
    @CurrentPrincipal() principal: Principal,
    @Body({ schema: PlaceOrderBodySchema }) body: PlaceOrderBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Headers(AWAIT_HEADER) awaited: string | undefined,
  ): Promise<OrderView> {
    return this.commands.execute(new PlaceOrderCommand(principal, body.items, idempotencyKey, awaited));
  }
}
