import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, IdempotencyKey } from '@app/api-conventions';
import { CurrentPrincipal, Principal, Roles } from '@app/auth';
import { OrderSchema, OrderView, PlaceOrderBody, PlaceOrderBodySchema } from '@app/shop-api';
import { LEGACY_ERRORS } from '../../legacy-errors';
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
    summary: 'Place an order (customers only).',
    description:
      "Each item is priced at the product's current price. If every product has the stock and the wallet holds " +
      'the total, the stock is taken, the wallet debited and the order is APPROVED; otherwise nothing changes and ' +
      'the order is stored as REJECTED with OUT_OF_STOCK (checked first) or INSUFFICIENT_FUNDS. Both answer 201. ' +
      'With an Idempotency-Key, a repeat with the same body returns the first 201 response and places nothing; ' +
      'the same key with another body gets 422. Failed requests are not recorded. Keys are kept 24 hours.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 128 printable ASCII characters.' })
  @ApiResponse({ status: 201, description: 'The order, APPROVED or REJECTED.', standardSchema: OrderSchema })
  @ApiErrorResponses(
    LEGACY_ERRORS,
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
  ): Promise<OrderView> {
    return this.commands.execute(new PlaceOrderCommand(principal, body.items, idempotencyKey));
  }
}
